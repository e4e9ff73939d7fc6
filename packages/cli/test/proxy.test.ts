// The command behind a proxy, over real HTTP on 127.0.0.1: a forward proxy from test-support in
// front of the mock (and of a TLS front to it, for https:// endpoints), the variables in both
// spellings, NO_PROXY, the embedded mock, and a proxy that refuses.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { createServer as createHttpsServer, type Server as HttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startMockServer, type MockServer } from "@codearts-package-status/mock";
import { closedPort, startForwardProxy, type ForwardProxy } from "@codearts-package-status/test-support";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runBin, runCli } from "./support/cli.js";

const TOKEN = "proxy-test-token-0123456789";
const TOKEN_ENV = { HUAWEICLOUD_SDK_TOKEN: TOKEN };
// --warn-days 0: no documented package expires today, so a run that asked every service exits 0.
const IDS = ["--project-id", "666666af0f00445f85dec483fbc97c78", "--tenant-id", "389efb76b1354e4482eabeed00000000", "--warn-days", "0"];
const PROXY_SECRET = "pr0xy-Secret-pw";
// The report with the request IDs the mock draws at random for each answer left out.
const sameAnswers = (json: string): string => json.replace(/"requestId": "[0-9a-f]{32}"/g, '"requestId": "…"');

let mock: MockServer;
let mockHost: string;
let tlsFront: HttpsServer;
let tlsHost: string;
let certDir: string;
let direct: { code: number | null; stdout: string };
let proxy: ForwardProxy;

const endpoints = (origin: string): string[] => ["--endpoint-artifact", origin, "--endpoint-check", origin, "--endpoint-pipeline", origin, "--json"];

beforeAll(async () => {
  mock = await startMockServer({ host: "127.0.0.1", port: 0 });
  mockHost = new URL(mock.url).host;
  // An https:// endpoint for HTTPS_PROXY: a TLS front to the mock with a throwaway certificate
  // for 127.0.0.1, trusted by the command through NODE_EXTRA_CA_CERTS.
  certDir = mkdtempSync(join(tmpdir(), "cli-proxy-"));
  execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", join(certDir, "key.pem"), "-out", join(certDir, "cert.pem")], { stdio: "ignore" });
  tlsFront = createHttpsServer({ key: readFileSync(join(certDir, "key.pem")), cert: readFileSync(join(certDir, "cert.pem")) }, (req, res) => {
    const upstream = httpRequest(new URL(req.url ?? "/", mock.url), { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => tlsFront.listen(0, "127.0.0.1", resolve));
  tlsHost = `127.0.0.1:${(tlsFront.address() as AddressInfo).port}`;
  // The report without any proxy, to compare every proxied run with.
  direct = await runCli([...IDS, ...endpoints(mock.url)], TOKEN_ENV);
  expect(direct.code).toBe(0);
}, 30_000);

afterAll(async () => {
  await mock?.close();
  tlsFront?.closeAllConnections();
  await new Promise<void>((resolve) => (tlsFront ? tlsFront.close(() => resolve()) : resolve()));
  if (certDir) rmSync(certDir, { recursive: true, force: true });
});

afterEach(async () => {
  await proxy?.close();
});

describe("proxy variables", () => {
  it.each(["HTTP_PROXY", "http_proxy"])("%s: every http:// request goes through the proxy, and the report is the same", async (name) => {
    proxy = await startForwardProxy();
    const { code, stdout, stderr } = await runCli([...IDS, ...endpoints(mock.url)], { ...TOKEN_ENV, [name]: proxy.url });
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(sameAnswers(stdout)).toBe(sameAnswers(direct.stdout));
    // undici's ProxyAgent tunnels http:// targets too; one tunnel per kept-alive connection.
    expect(proxy.requests.length).toBeGreaterThan(0);
    expect(proxy.requests.every((r) => r.method === "CONNECT" && r.target === mockHost)).toBe(true);
  });

  // The bin in a process of its own: Node reads NODE_EXTRA_CA_CERTS (the test's certificate) at start-up.
  it.each(["HTTPS_PROXY", "https_proxy"])("%s: every https:// request is tunnelled through the proxy", async (name) => {
    proxy = await startForwardProxy();
    const { code, stdout, stderr } = await runBin([...IDS, ...endpoints(`https://${tlsHost}`)], {
      ...TOKEN_ENV,
      [name]: proxy.url,
      NODE_EXTRA_CA_CERTS: join(certDir, "cert.pem"),
    });
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(sameAnswers(stdout)).toBe(sameAnswers(direct.stdout));
    expect(proxy.requests.length).toBeGreaterThan(0);
    expect(proxy.requests.every((r) => r.method === "CONNECT" && r.target === tlsHost)).toBe(true);
  });

  it("HTTPS_PROXY alone leaves http:// requests direct", async () => {
    proxy = await startForwardProxy();
    const { code, stdout } = await runCli([...IDS, ...endpoints(mock.url)], { ...TOKEN_ENV, HTTPS_PROXY: proxy.url });
    expect(code).toBe(0);
    expect(sameAnswers(stdout)).toBe(sameAnswers(direct.stdout));
    expect(proxy.requests).toEqual([]);
  });

  it("the lower-case variable wins when both spellings are set", async () => {
    proxy = await startForwardProxy();
    const dead = `http://127.0.0.1:${await closedPort()}`;
    const { code, stdout } = await runCli([...IDS, ...endpoints(mock.url)], { ...TOKEN_ENV, http_proxy: proxy.url, HTTP_PROXY: dead });
    expect(code).toBe(0);
    expect(sameAnswers(stdout)).toBe(sameAnswers(direct.stdout));
    expect(proxy.requests.length).toBeGreaterThan(0);
  });

  it.each([
    ["NO_PROXY", "127.0.0.1"],
    ["no_proxy", "127.0.0.1"],
    ["NO_PROXY", "example.com, 127.0.0.1:PORT"],
    ["NO_PROXY", "*"],
  ])("%s=%s bypasses the proxy for matching hosts", async (name, value) => {
    proxy = await startForwardProxy();
    const { code, stdout } = await runCli([...IDS, ...endpoints(mock.url)], {
      ...TOKEN_ENV,
      HTTP_PROXY: proxy.url,
      [name]: value.replace("PORT", String(mock.port)),
    });
    expect(code).toBe(0);
    expect(sameAnswers(stdout)).toBe(sameAnswers(direct.stdout));
    expect(proxy.requests).toEqual([]);
  });

  it("a NO_PROXY entry for another port does not bypass the proxy", async () => {
    proxy = await startForwardProxy();
    const { code } = await runCli([...IDS, ...endpoints(mock.url)], { ...TOKEN_ENV, HTTP_PROXY: proxy.url, NO_PROXY: `127.0.0.1:${mock.port + 1}` });
    expect(code).toBe(0);
    expect(proxy.requests.length).toBeGreaterThan(0);
  });

  it("--mock: the embedded mock on this machine's loopback is never sent to the proxy", async () => {
    proxy = await startForwardProxy();
    const { code, stdout, stderr } = await runCli(["--mock", "--json", "--warn-days", "0"], { HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url });
    expect(code).toBe(0);
    expect(stderr).toMatch(/^Using the embedded mock server at /);
    expect((JSON.parse(stdout) as { errors: unknown[]; packages: unknown[] }).errors).toEqual([]);
    expect(proxy.requests).toEqual([]);
  });
});

describe("proxy URLs", () => {
  it("takes host:port without a scheme as an http:// proxy, as curl does", async () => {
    proxy = await startForwardProxy();
    const { code, stdout } = await runCli([...IDS, ...endpoints(mock.url)], { ...TOKEN_ENV, HTTP_PROXY: `127.0.0.1:${proxy.port}` });
    expect(code).toBe(0);
    expect(sameAnswers(stdout)).toBe(sameAnswers(direct.stdout));
    expect(proxy.requests.length).toBeGreaterThan(0);
  });

  it.each([
    ["a SOCKS proxy", `socks5://user:${PROXY_SECRET}@127.0.0.1:1080`],
    ["an unparsable URL", `http://user:${PROXY_SECRET}@[not-a-host`],
  ])(
    "%s is one error naming the variable, never the value",
    async (_, value) => {
      const { code, stdout, stderr } = await runCli([...IDS, ...endpoints(mock.url)], { ...TOKEN_ENV, https_proxy: value });
      expect(code).toBe(3);
      expect(stdout).toBe("");
      expect(stderr).toBe("codearts-package-status: https_proxy must be a proxy URL such as http://host:port (http or https; the value is not shown)\n");
    },
  );
});

describe("proxy credentials and failures", () => {
  it("sends the credentials in the proxy URL to the proxy and never prints them", async () => {
    proxy = await startForwardProxy({ credentials: `user:${PROXY_SECRET}` });
    const withCredentials = proxy.url.replace("http://", `http://user:${PROXY_SECRET}@`);
    const { code, stdout, stderr } = await runCli([...IDS, ...endpoints(mock.url)], { ...TOKEN_ENV, HTTP_PROXY: withCredentials });
    expect(code).toBe(0);
    expect(sameAnswers(stdout)).toBe(sameAnswers(direct.stdout));
    expect(proxy.requests.length).toBeGreaterThan(0);
    expect(proxy.requests.every((r) => r.proxyAuthorization)).toBe(true);
    expect(`${stdout}${stderr}`).not.toContain(PROXY_SECRET);
  });

  it("a proxy that answers 407: a connection error per service whose hint names the variable, no secret printed, exit 1", async () => {
    proxy = await startForwardProxy({ credentials: "user:other-password" });
    const withCredentials = proxy.url.replace("http://", `http://user:${PROXY_SECRET}@`);
    const { code, stdout, stderr } = await runCli([...IDS, ...endpoints(mock.url)], { ...TOKEN_ENV, http_proxy: withCredentials });
    expect(code).toBe(3);
    const report = JSON.parse(stdout) as { errors: Array<{ kind: string }> };
    expect(report.errors.map((e) => e.kind)).toEqual(["connection", "connection", "connection"]);
    const lines = stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).toMatch(/; hint: check the network, the proxy in http_proxy \(or bypass it with NO_PROXY\) and --region, or set --endpoint-[a-z]+$/);
    expect(`${stdout}${stderr}`).not.toContain(PROXY_SECRET);
    expect(`${stdout}${stderr}`).not.toContain(TOKEN);
  });

  it("a proxy that cannot be reached: the hint names the variable", async () => {
    const dead = `http://user:${PROXY_SECRET}@127.0.0.1:${await closedPort()}`;
    const { code, stdout, stderr } = await runCli([...IDS, ...endpoints(`https://${tlsHost}`)], { ...TOKEN_ENV, HTTPS_PROXY: dead });
    expect(code).toBe(3);
    expect(stderr).toContain("; hint: check the network, the proxy in HTTPS_PROXY (or bypass it with NO_PROXY) and --region, or set --endpoint-check\n");
    expect(`${stdout}${stderr}`).not.toContain(PROXY_SECRET);
  });

  it("without a proxy variable the hint says how to set one instead of blaming a proxy", async () => {
    const dead = `http://127.0.0.1:${await closedPort()}`;
    const { stderr } = await runCli([...IDS, ...endpoints(dead)], TOKEN_ENV);
    expect(stderr).toContain("; hint: check the network and --region, set HTTPS_PROXY if a proxy is needed, or set --endpoint-check\n");
  });
});

describe("--help", () => {
  it("names the proxy variables", async () => {
    const { stdout } = await runCli(["--help"]);
    for (const name of ["HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY"]) expect(stdout).toContain(name);
  });
});
