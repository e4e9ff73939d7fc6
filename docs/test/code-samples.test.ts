// Every generated code sample runs against the mock on loopback and prints the documented answer:
// curl with the real binary, the TypeScript samples type-checked by tsc and run by node, the CLI
// through its bin. A broken sample fails here, and so the build.
import { startMockServer, type MockServer } from "@codearts-package-status/mock";
import { documentedOperation, documentedOperations } from "@codearts-package-status/test-support";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { checkSample, codeSamples, isTypeScript, pointAtMock, sampleFileName, TypeScriptSamples, type CodeSample } from "./support/samples.js";

let mock: MockServer;
let ts: TypeScriptSamples;

beforeAll(async () => {
  mock = await startMockServer();
  const files: Record<string, string> = {};
  for (const [id, set] of Object.entries(codeSamples)) {
    for (const sample of set.samples.filter(isTypeScript)) files[sampleFileName(id, sample)] = pointAtMock(set, sample, mock.url);
  }
  ts = await TypeScriptSamples.compile(files);
}, 120_000);

afterAll(async () => {
  ts?.remove();
  await mock?.close();
});

test("every operation of the spec has its samples, and no samples name an operation the spec lacks", () => {
  expect(Object.keys(codeSamples).sort()).toEqual(documentedOperations().map((o) => o.operationId).sort());
});

describe.each(Object.entries(codeSamples))("%s", (id, set) => {
  test("has curl with an IAM token, the typed client and the raw client.GET form; the CLI line unless the CLI has no command line for it, which is then said", () => {
    const labels = set.samples.map((s) => s.label);
    expect(labels).toEqual(expect.arrayContaining(["curl", "TypeScript client", `client.${set.method} (openapi-fetch)`]));
    expect(set.samples.find((s) => s.label === "curl")?.source).toContain(`X-Auth-Token: $${set.tokenVariable}`);
    expect(set.samples.find((s) => s.label === "TypeScript client")?.source).toContain("createClient(");
    // The CLI line is there exactly for the operations the CLI calls: each service's package status one.
    const reported = (documentedOperation(id).node["x-codearts-package-status"] as unknown) === true;
    expect(labels.includes("CLI")).toBe(reported);
    expect(set.omitted.map((o) => o.label)).toEqual(reported ? [] : ["CLI"]);
    if (set.supporting) expect(reported).toBe(false);
  });

  test.each(set.samples.map((s) => [s.label, s] as const))("the %s sample prints the documented answer from the mock", async (_, sample: CodeSample) => {
    await checkSample(id, set, sample, mock, ts);
  });
});

describe("the check fails a broken sample", () => {
  const [id, set] = Object.entries(codeSamples)[0]!;
  const sampleOf = (label: string): CodeSample => set.samples.find((s) => s.label === label)!;

  test("curl asking another path gets the gateway's 404, and fails", async () => {
    const curl = sampleOf("curl");
    const broken = { ...curl, source: curl.source.replace(set.path.split("/").filter(Boolean)[0]!, "no-such-service") };
    expect(broken.source).not.toBe(curl.source);
    await expect(checkSample(id, set, broken, mock)).rejects.toThrow(/never called/);
  });

  test("curl whose answer differs from the documented example fails", async () => {
    const curl = sampleOf("curl");
    // The mock answers 401 without a token: a different status and body than documented.
    const broken = { ...curl, source: curl.source.replace(/--header "X-Auth-Token: [^"]*"/, '--header "X-Other: 1"') };
    await expect(checkSample(id, set, broken, mock)).rejects.toThrow(/answered 401/);
  });

  test("a TypeScript sample calling a method the client lacks fails type-checking", async () => {
    const sample = sampleOf("TypeScript client");
    const broken = sample.source.replace(/client\.(\w+)\.(\w+)\(/, "client.$1.$2Typo(");
    expect(broken).not.toBe(sample.source);
    await expect(TypeScriptSamples.compile({ broken })).rejects.toThrow(/tsc rejected the samples[\s\S]*Typo/);
  }, 60_000);

  test("a TypeScript sample that prints something else than the documented answer fails", async () => {
    const sample = sampleOf("TypeScript client");
    const source = pointAtMock(set, sample, mock.url).replace("console.log(JSON.stringify(body, null, 2));", 'console.log(JSON.stringify({ ...(body as object), extra: 1 }));');
    const project = await TypeScriptSamples.compile({ [sampleFileName(id, sample)]: source });
    try {
      await expect(checkSample(id, set, sample, mock, project)).rejects.toThrow(/not the documented/);
    } finally {
      project.remove();
    }
  }, 60_000);

  test("a sample left pointing at Huawei's host is stopped before it leaves the machine", async () => {
    const sample = sampleOf("TypeScript client");
    const project = await TypeScriptSamples.compile({ unrouted: sample.source.replace("createClient({", "createClient({ maxRetries: 0,") });
    try {
      const result = await project.run("unrouted", { [set.tokenVariable]: "t" });
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain("tests only allow loopback");
    } finally {
      project.remove();
    }
  }, 60_000);
});
