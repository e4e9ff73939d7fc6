// The proxy snippets of README.md, run as written through a real forward proxy on loopback: the
// client itself knows nothing of proxies, so these prove the documented `fetch` and global
// dispatcher reach the API through the proxy for resource methods and raw calls alike.
import { readFileSync } from "node:fs";
import { inspect } from "node:util";
import { startForwardProxy, parameterExample, startTestServer, type ForwardProxy, type TestServer } from "@codearts-package-status/test-support";
import { EnvHttpProxyAgent, getGlobalDispatcher, ProxyAgent, setGlobalDispatcher, type Dispatcher } from "undici";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ConnectionError, createClient } from "../src/index.js";

const README = readFileSync(new URL("../README.md", import.meta.url), "utf8");
// The lines of the snippets this suite runs; a test fails when README.md no longer shows them.
const FETCH_LINE = "fetch: (input, init) => fetch(input, { ...init, dispatcher } as RequestInit),";
const GLOBAL_LINE = "setGlobalDispatcher(new EnvHttpProxyAgent());";

const token = "proxy-readme-token-0123456789";
const project_id = String(parameterExample("ProjectId"));
const BODY = { result: { main_resource_list: [], other_resource_list: [], tips: null }, status: "success" };

let api: TestServer;
let proxy: ForwardProxy;
let dispatcher: Dispatcher | undefined;

beforeAll(async () => {
  api = await startTestServer(() => ({ status: 200, body: BODY }));
});
afterAll(() => api.close());
afterEach(async () => {
  await dispatcher?.close();
  dispatcher = undefined;
  await proxy?.close();
});

const endpoints = () => ({ artifact: api.url, check: api.url, pipeline: api.url });
const apiHost = () => new URL(api.url).host;

describe("README: a proxy for this client only", () => {
  it("shows the fetch that adds a dispatcher", () => {
    expect(README).toContain(FETCH_LINE);
  });

  it("EnvHttpProxyAgent from HTTP_PROXY: resource methods and raw calls go through the proxy", async () => {
    proxy = await startForwardProxy();
    const saved = process.env.HTTP_PROXY;
    process.env.HTTP_PROXY = proxy.url;
    try {
      dispatcher = new EnvHttpProxyAgent();
    } finally {
      if (saved === undefined) delete process.env.HTTP_PROXY;
      else process.env.HTTP_PROXY = saved;
    }
    const agent = dispatcher;
    const client = createClient({ endpoints: endpoints(), credentials: { token }, fetch: (input, init) => fetch(input, { ...init, dispatcher: agent } as RequestInit) });

    expect(await client.check.showTenantPackageStatus({ project_id })).toEqual(BODY);
    const { data } = await client.GET("/v4/tenant/tenant-package-status", { params: { query: { project_id } } });
    expect(data).toEqual(BODY);

    expect(proxy.requests.length).toBeGreaterThan(0);
    expect(proxy.requests.every((r) => r.method === "CONNECT" && r.target === apiHost())).toBe(true);
    expect(api.requests.map((r) => r.headers["x-auth-token"])).toEqual([token, token]);
  });

  it("ProxyAgent with credentials: they reach the proxy, and a proxy that refuses them gives a ConnectionError without them", async () => {
    const password = "pr0xy-pa55word";
    proxy = await startForwardProxy({ credentials: `user:${password}` });
    const agent = (dispatcher = new ProxyAgent(proxy.url.replace("//", `//user:${password}@`)));
    const client = createClient({ endpoints: endpoints(), credentials: { token }, fetch: (input, init) => fetch(input, { ...init, dispatcher: agent } as RequestInit) });
    expect(await client.check.showTenantPackageStatus({ project_id })).toEqual(BODY);
    expect(proxy.requests.every((r) => r.proxyAuthorization)).toBe(true);

    const refusing = new ProxyAgent(proxy.url.replace("//", `//user:not-${password}@`));
    try {
      const refused = createClient({ endpoints: endpoints(), credentials: { token }, maxRetries: 0, fetch: (input, init) => fetch(input, { ...init, dispatcher: refusing } as RequestInit) });
      const error = await refused.check.showTenantPackageStatus({ project_id }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConnectionError);
      for (const form of [String(error), JSON.stringify(error), inspect(error, { depth: 10 })]) expect(form).not.toContain(password);
    } finally {
      await refusing.close();
    }
  });
});

describe("README: a proxy for every fetch of the process", () => {
  it("shows setGlobalDispatcher", () => {
    expect(README).toContain(GLOBAL_LINE);
  });

  it("setGlobalDispatcher(new EnvHttpProxyAgent()) sends the client's default fetch through the proxy", async () => {
    proxy = await startForwardProxy();
    const previous = getGlobalDispatcher();
    const saved = process.env.http_proxy;
    process.env.http_proxy = proxy.url;
    try {
      setGlobalDispatcher((dispatcher = new EnvHttpProxyAgent()));
      const client = createClient({ endpoints: endpoints(), credentials: { token } });
      expect(await client.check.showTenantPackageStatus({ project_id })).toEqual(BODY);
      const { data } = await client.GET("/v4/tenant/tenant-package-status", { params: { query: { project_id } } });
      expect(data).toEqual(BODY);
    } finally {
      setGlobalDispatcher(previous);
      if (saved === undefined) delete process.env.http_proxy;
      else process.env.http_proxy = saved;
    }
    expect(proxy.requests.length).toBeGreaterThan(0);
    expect(proxy.requests.every((r) => r.method === "CONNECT" && r.target === apiHost())).toBe(true);
  });
});
