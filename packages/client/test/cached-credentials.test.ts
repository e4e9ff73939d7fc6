// cachedCredentials: one cache of a provider's credentials shared by several clients. The source
// is asked once, again only when its credentials are due for refresh (less than two hours or half
// their lifetime left), and by one call however many ask at once. Time is faked (Date only, so the
// clients' own timers run) rather than slept through.
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { cachedCredentials, createClient, CredentialsError, fromEcsMetadata, type CredentialsProvider, type ProvidedCredentials } from "../src/index.js";
import { createFetchStub, jsonResponse } from "./support/fetch-stub.js";
import { example } from "./support/fixtures.js";

const HOUR = 3_600_000;
const T0 = new Date("2026-12-01T00:00:00Z").getTime();

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(T0);
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

/** A provider handing out token number 1, 2, … each valid for `lifetimeMs` from when it is asked (null: no expiry). */
function countingProvider(lifetimeMs: number | null = 6 * HOUR) {
  let issued = 0;
  const provider = vi.fn<CredentialsProvider>(async () => {
    issued += 1;
    return { token: `cached-token-number-${issued}`, expiresAt: lifetimeMs === null ? undefined : new Date(Date.now() + lifetimeMs), source: "test" };
  });
  return provider;
}

/** Two clients (two regions, say) sharing one provider; `call` makes one call with each and says which token each sent. */
function twoClients(shared: CredentialsProvider) {
  const api = createFetchStub(() => jsonResponse(200, example("ShowTenantPackageStatusOk")));
  const clients = ["https://check.one.example.test", "https://check.two.example.test"].map((check) => createClient({ endpoints: { check }, credentials: shared, fetch: api.fetch, maxRetries: 0 }));
  const call = async () => {
    const tokens: Array<string | null> = [];
    for (const client of clients) {
      const before = api.requests.length;
      await client.check.showTenantPackageStatus();
      tokens.push(api.requests[before]!.headers.get("x-auth-token"));
    }
    return tokens;
  };
  return { call, api };
}

describe("cachedCredentials shared by two clients", () => {
  test("asks the provider once for both", async () => {
    const provider = countingProvider();
    const { call } = twoClients(cachedCredentials(provider));
    expect(await call()).toEqual(["cached-token-number-1", "cached-token-number-1"]);
    expect(await call()).toEqual(["cached-token-number-1", "cached-token-number-1"]);
    expect(provider).toHaveBeenCalledTimes(1);
  });

  test("asks again once, when the credentials are due for refresh, and both clients move to the new ones before the old expire", async () => {
    const provider = countingProvider(6 * HOUR);
    const { call } = twoClients(cachedCredentials(provider));
    await call();
    // Six hours of lifetime: due two hours before expiry, at T0 + 4 h.
    vi.setSystemTime(T0 + 4 * HOUR - 1000);
    expect(await call()).toEqual(["cached-token-number-1", "cached-token-number-1"]);
    expect(provider).toHaveBeenCalledTimes(1);
    vi.setSystemTime(T0 + 4 * HOUR + 1000);
    // The refresh runs in the background while the old credentials still work.
    await call();
    await call();
    expect(provider).toHaveBeenCalledTimes(2);
    // No request starts within a minute of the old ones' expiry.
    vi.setSystemTime(T0 + 6 * HOUR - 30_000);
    expect(await call()).toEqual(["cached-token-number-2", "cached-token-number-2"]);
    expect(provider).toHaveBeenCalledTimes(2);
  });

  test("credentials without expiresAt are never asked for again", async () => {
    const provider = countingProvider(null);
    const { call } = twoClients(cachedCredentials(provider));
    await call();
    vi.setSystemTime(T0 + 10 * 365 * 24 * HOUR);
    expect(await call()).toEqual(["cached-token-number-1", "cached-token-number-1"]);
    expect(provider).toHaveBeenCalledTimes(1);
  });

  test("concurrent callers, clients or not, share one provider call", async () => {
    let release!: (credentials: ProvidedCredentials) => void;
    const provider = vi.fn<CredentialsProvider>(() => new Promise((resolve) => (release = resolve)));
    const shared = cachedCredentials(provider);
    const api = createFetchStub(() => jsonResponse(200, example("ShowTenantPackageStatusOk")));
    const clients = [1, 2, 3].map((n) => createClient({ endpoints: { check: `https://check.${n}.example.test` }, credentials: shared, fetch: api.fetch }));
    const waiting = Promise.all([...clients.map((client) => client.check.showTenantPackageStatus()), shared(), shared()]);
    // Let every caller reach the provider before it answers.
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(provider).toHaveBeenCalledTimes(1);
    release({ token: "one-call-for-everyone-0123", expiresAt: new Date(Date.now() + 6 * HOUR) });
    const results = await waiting;
    expect(provider).toHaveBeenCalledTimes(1);
    expect(api.requests.map((request) => request.headers.get("x-auth-token"))).toEqual(Array(3).fill("one-call-for-everyone-0123"));
    expect(results.slice(3)).toEqual([expect.objectContaining({ token: "one-call-for-everyone-0123" }), expect.objectContaining({ token: "one-call-for-everyone-0123" })]);
  });

  test("a failure is not cached: the next caller asks again", async () => {
    const provider = vi
      .fn<CredentialsProvider>()
      .mockRejectedValueOnce(new Error("source down"))
      .mockResolvedValue({ token: "after-the-failure-0123456" });
    const shared = cachedCredentials(provider);
    await expect(shared()).rejects.toBeInstanceOf(CredentialsError);
    await expect(shared()).resolves.toMatchObject({ token: "after-the-failure-0123456" });
    await expect(shared()).resolves.toMatchObject({ token: "after-the-failure-0123456" });
    expect(provider).toHaveBeenCalledTimes(2);
  });

  test("expired credentials from the provider are refused, not handed on", async () => {
    const shared = cachedCredentials(async () => ({ token: "already-expired-token-0123", expiresAt: new Date(Date.now() - 1000), source: "test" }));
    await expect(shared()).rejects.toThrow(/No credentials: test \(expired at /);
  });

  test("the ECS metadata service is asked once for several clients, not once per client", async () => {
    const metadata = createFetchStub((request) =>
      new URL(request.url).pathname.endsWith("/api/token")
        ? new Response("session-token")
        : jsonResponse(200, {
            credential: { access: "ECSSHAREDACCESSKEY01", secret: "ecs-shared-secret-0123456789", securitytoken: "ecs-shared-security-token-0123", expires_at: new Date(Date.now() + 24 * HOUR).toISOString() },
          }),
    );
    vi.stubGlobal("fetch", metadata.fetch);
    const { call, api } = twoClients(cachedCredentials(fromEcsMetadata({ endpoint: "http://127.0.0.1:7" })));
    await call();
    await call();
    expect(metadata.requests.map((request) => request.method)).toEqual(["PUT", "GET"]);
    expect(api.requests.map((request) => request.headers.get("x-security-token"))).toEqual(Array(4).fill("ecs-shared-security-token-0123"));
  });
});
