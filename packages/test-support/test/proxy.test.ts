// The forward proxy the proxy tests rely on, checked against curl, the real-world reference for
// both forms: `curl -x` sends an http:// request in absolute form, `curl -p -x` tunnels it.
import { execFile } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startForwardProxy, type ForwardProxy } from "../src/index.js";

let origin: Server;
let originUrl: string;
let proxy: ForwardProxy | undefined;

beforeAll(async () => {
  // Echoes what reached it, so a test sees what the proxy passed on.
  origin = createServer((req, res) => {
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers }));
  });
  await new Promise<void>((resolve) => origin.listen(0, "127.0.0.1", resolve));
  originUrl = `http://127.0.0.1:${(origin.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => origin.close(() => resolve())));
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

// curl with no configuration file and no proxy variables of the caller's: only what a test passes.
function curl(args: string[]): Promise<{ code: number; status: string; body: string }> {
  return new Promise((resolve) => {
    execFile("curl", ["-q", "-sS", "--max-time", "10", "-o", "-", "-w", "\n%{http_code}", ...args], { env: { PATH: process.env.PATH ?? "" } }, (error, stdout) => {
      const cut = stdout.lastIndexOf("\n");
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, body: stdout.slice(0, cut), status: stdout.slice(cut + 1) });
    });
  });
}

describe("startForwardProxy", () => {
  it("forwards an absolute-form request (curl -x) and records its method and URL", async () => {
    proxy = await startForwardProxy();
    const { status, body } = await curl(["-x", proxy.url, "-H", "X-Auth-Token: t0k3n", `${originUrl}/v4/x?y=1`]);
    expect(status).toBe("200");
    const seen = JSON.parse(body) as { method: string; url: string; headers: Record<string, string> };
    expect(seen).toMatchObject({ method: "GET", url: "/v4/x?y=1" });
    expect(seen.headers["x-auth-token"]).toBe("t0k3n");
    expect(seen.headers["proxy-connection"]).toBeUndefined();
    expect(proxy.requests).toEqual([{ method: "GET", target: `${originUrl}/v4/x?y=1`, proxyAuthorization: false }]);
  });

  it("tunnels CONNECT (curl -p -x) to a loopback host and records host:port", async () => {
    proxy = await startForwardProxy();
    const { status, body } = await curl(["-p", "-x", proxy.url, `${originUrl}/tunnelled`]);
    expect(status).toBe("200");
    expect(JSON.parse(body)).toMatchObject({ method: "GET", url: "/tunnelled" });
    expect(proxy.requests).toEqual([{ method: "CONNECT", target: new URL(originUrl).host, proxyAuthorization: false }]);
  });

  it("demands its credentials with 407, records only that some came, and passes with the right ones", async () => {
    proxy = await startForwardProxy({ credentials: "user:s3cret" });
    expect((await curl(["-x", proxy.url, `${originUrl}/`])).status).toBe("407");
    expect((await curl(["-p", "-x", proxy.url.replace("//", "//user:wrong@"), `${originUrl}/`])).code).not.toBe(0);
    const passed = await curl(["-x", proxy.url.replace("//", "//user:s3cret@"), `${originUrl}/`]);
    expect(passed.status).toBe("200");
    expect((JSON.parse(passed.body) as { headers: Record<string, string> }).headers["proxy-authorization"]).toBeUndefined();
    expect(proxy.requests.map((r) => r.proxyAuthorization)).toEqual([false, true, true]);
    expect(JSON.stringify(proxy.requests)).not.toContain("s3cret");
    expect(JSON.stringify(proxy.requests)).not.toContain(Buffer.from("user:s3cret").toString("base64"));
  });

  it("refuses to reach anything but loopback, in either form", async () => {
    proxy = await startForwardProxy();
    expect((await curl(["-x", proxy.url, "http://192.0.2.1/"])).status).toBe("403");
    expect((await curl(["-p", "-x", proxy.url, "http://192.0.2.1/"])).code).not.toBe(0);
    expect(proxy.requests.map((r) => r.method)).toEqual(["GET", "CONNECT"]);
  });
});
