import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMockServer, type MockServer } from "../src/index.js";
import { documentedOperations, spec } from "@codearts-package-status/test-support";
import { TOKEN } from "./support/fixtures.js";

const operations = documentedOperations();
let server: MockServer;

beforeAll(async () => {
  server = await startMockServer();
});
afterAll(async () => {
  await server.close();
});

function get(target: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.url}${target}`, { headers: { "X-Auth-Token": TOKEN, ...headers } });
}

it("finds every operation of the spec's paths (IAM's tenant lookup too), each with a 2xx and a 401 example", () => {
  const inPaths = Object.values(spec.paths).flatMap((item) => Object.values(item).flatMap((node) => (node && typeof node === "object" && "operationId" in node ? [String(node.operationId)] : [])));
  expect(inPaths).toContain("KeystoneListAuthDomains");
  expect(operations.map((o) => o.operationId).sort()).toEqual(inPaths.sort());
  for (const op of operations) {
    expect(op.examples.some((r) => r.status.startsWith("2"))).toBe(true);
    expect(op.examples.some((r) => r.status === "401")).toBe(true);
  }
});

describe.each(operations)("$operationId", (op) => {
  it("serves the first documented 2xx example by default, with JSON and a request id", async () => {
    const first = op.examples.find((r) => r.status.startsWith("2"));
    const res = await get(op.target);
    expect(res.status).toBe(Number(first?.status));
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f]{32}$/);
    expect(await res.json()).toEqual(first?.value);
  });

  it.each(op.examples)("serves $status $name verbatim for Prefer: code=$status, example=$name", async ({ status, name, value }) => {
    const res = await get(op.target, { Prefer: `code=${status}, example=${name}` });
    expect(res.status).toBe(Number(status));
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f]{32}$/);
    expect(await res.text()).toBe(JSON.stringify(value));
  });

  it.each(op.examples)("serves $name for Prefer: example=$name alone", async ({ status, name, value }) => {
    const res = await get(op.target, { Prefer: `example=${name}` });
    expect(res.status).toBe(Number(status));
    expect(await res.json()).toEqual(value);
  });

  // One case per status, however many examples it has: code alone always means its first.
  it.each([...new Set(op.examples.map((e) => e.status))])("serves the first example of %s for Prefer: code=%s", async (status) => {
    const first = op.examples.find((r) => r.status === status);
    const res = await get(op.target, { Prefer: `code=${status}` });
    expect(res.status).toBe(Number(status));
    expect(await res.json()).toEqual(first?.value);
  });
});

it("gives each response its own request id", async () => {
  const op = operations[0];
  if (!op) throw new Error("no operation");
  const ids = await Promise.all([1, 2, 3].map(async () => (await get(op.target)).headers.get("x-request-id")));
  expect(new Set(ids).size).toBe(3);
});
