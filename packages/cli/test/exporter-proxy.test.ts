// The exporter honours the proxy variables as the report does (src/proxy.ts): every service
// request goes through the proxy, the proxy's password is never printed, and --mock, on this
// machine's loopback, is never proxied.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closedPort, parameterExample, startForwardProxy, type ForwardProxy } from "@codearts-package-status/test-support";
import { ONE_PACKAGE_EACH, parseExposition, samplesOf, startExporter, startServices, type Services } from "./support/exporter.js";

const IDS = ["--project-id", String(parameterExample("ProjectId")), "--tenant-id", String(parameterExample("TenantId"))];
const TOKEN_ENV = { HUAWEICLOUD_SDK_TOKEN: "exporter-proxy-token-0123456789" };
const PASSWORD = "exp0rter-Proxy-pw-secret";

let services: Services;
let proxy: ForwardProxy;
beforeAll(async () => {
  services = await startServices((service) => ONE_PACKAGE_EACH[service]);
  proxy = await startForwardProxy({ credentials: `ops:${PASSWORD}` });
});
afterAll(async () => {
  await proxy.close();
  await services.close();
});

const up = (text: string): number[] => samplesOf(parseExposition(text), "codearts_service_up").map((sample) => sample.value);

describe("proxies", () => {
  it("sends every service request through HTTP_PROXY, with the proxy's credentials, and prints none of them", async () => {
    const exporter = await startExporter(["--listen", "127.0.0.1:0", ...IDS, ...services.flags], {
      ...TOKEN_ENV,
      HTTP_PROXY: `http://ops:${PASSWORD}@127.0.0.1:${proxy.port}`,
    });
    try {
      const text = await (await fetch(exporter.url)).text();
      expect(up(text)).toEqual([1, 1, 1]);
      const serviceHost = new URL(services.url).host;
      expect(proxy.requests.length).toBeGreaterThan(0);
      expect(proxy.requests.every((request) => request.method === "CONNECT" && request.target === serviceHost)).toBe(true);
      for (const output of [text, exporter.stdout(), exporter.stderr()]) expect(output).not.toContain(PASSWORD);
    } finally {
      expect(await exporter.stop()).toBe(0);
    }
  });

  it("never sends --mock through the proxy: the mock listens on this machine's loopback", async () => {
    const exporter = await startExporter(["--listen", "127.0.0.1:0", "--mock"], { HTTPS_PROXY: `http://127.0.0.1:${await closedPort()}`, HTTP_PROXY: `http://127.0.0.1:${await closedPort()}` });
    try {
      expect(up(await (await fetch(exporter.url)).text())).toEqual([1, 1, 1]);
    } finally {
      expect(await exporter.stop()).toBe(0);
    }
  });
});
