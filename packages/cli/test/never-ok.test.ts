// A monitoring tool may fail loudly; it must never say OK when it does not know. Upstreams on
// loopback send what the spec does not promise (which is also what a schema drift on Huawei's
// side looks like): the report, --json, --nagios and the exporter must report the service as
// failed, name the field, keep the other services' packages, forge no series, and show no
// credential a successful answer echoed.
import { execFileSync } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parameterExample, startTestServer, type TestServer } from "@codearts-package-status/test-support";
import { validateResponse } from "@codearts-package-status/client";
import { runCli } from "./support/cli.js";
import { ONE_PACKAGE_EACH, parseExposition, samplesOf, startExporter, type Answer, type RunningExporter, type Service } from "./support/exporter.js";

const PROMTOOL = process.env.PROMTOOL_PATH ?? "/usr/bin/promtool";
const promtoolAccepts = (text: string): void => void execFileSync(PROMTOOL, ["check", "metrics"], { input: text, encoding: "utf8", stdio: ["pipe", "pipe", "pipe"] });
const IDS = ["--project-id", String(parameterExample("ProjectId")), "--tenant-id", String(parameterExample("TenantId"))];
const TOKEN = "MIIT-gateway-echoed-coreTOKEN4321";
const OPERATIONS: Record<Service, string> = { artifact: "ShowPackageInfo", check: "ShowTenantPackageStatus", pipeline: "ValidateTenantPackageIsExpired" };

// What each stand-in service answers now; a function of the request's token, for echoes.
let answers: Record<Service, (token: string) => Answer>;
const answering = (changed: Partial<Record<Service, (token: string) => Answer>>) => {
  answers = { artifact: () => ONE_PACKAGE_EACH.artifact, check: () => ONE_PACKAGE_EACH.check, pipeline: () => ONE_PACKAGE_EACH.pipeline, ...changed };
};
answering({});

let server: TestServer;
let flags: string[];
let exporter: RunningExporter;
beforeAll(async () => {
  server = await startTestServer((request) => {
    const service: Service = request.url.startsWith("/devreposerver/") ? "artifact" : request.url.startsWith("/v4/") ? "check" : "pipeline";
    return answers[service](String(request.headers["x-auth-token"] ?? ""));
  });
  flags = [...IDS, "--endpoint-artifact", server.url, "--endpoint-check", server.url, "--endpoint-pipeline", server.url];
  // No cache: every scrape asks again, so each case sees its own answers.
  exporter = await startExporter(["--listen", "127.0.0.1:0", "--cache-seconds", "0", ...flags], { HUAWEICLOUD_SDK_TOKEN: TOKEN });
});
afterAll(async () => {
  expect(await exporter.stop()).toBe(0);
  await server.close();
});

const report = (...args: string[]) => runCli([...flags, ...args], { HUAWEICLOUD_SDK_TOKEN: TOKEN });

/** Every output of the report for the current answers, and the exporter's answer. */
async function everyOutput() {
  const [table, wide, json, nagios] = await Promise.all([report(), report("--wide"), report("--json"), report("--nagios")]);
  const metrics = await (await fetch(exporter.url)).text();
  return { table, wide, json, nagios, metrics, parsed: JSON.parse(json.stdout) as { packages: { service: Service; daysLeft: number | null; resource: string }[]; errors: { service: Service; kind: string; message: string }[] } };
}

const upOf = (metrics: string) => Object.fromEntries(samplesOf(parseExposition(metrics), "codearts_service_up").map((s) => [s.labels.service, s.value]));

describe("an answer of the wrong shape fails its service, and only its service", () => {
  it('Artifact\'s "remainDays": "1" is UNKNOWN everywhere, never OK, and its failure names the field', async () => {
    answering({ artifact: () => ({ status: 200, body: { status: "success", result: { codeartsStorageExtension: { packageStatus: 2, remainDays: "1" } } } }) });
    const out = await everyOutput();
    for (const run of [out.table, out.wide, out.json, out.nagios]) expect(run.code).toBe(3);
    expect(out.nagios.stdout).toMatch(/^CODEARTS PACKAGES UNKNOWN - 1 service failed: CodeArts Artifact: unexpected response: ShowPackageInfo returned a body that breaks the spec: \/result\/codeartsStorageExtension\/remainDays must be integer, not string/);
    expect(out.nagios.stdout).not.toContain("OK");
    expect(out.table.stderr).toContain("/result/codeartsStorageExtension/remainDays must be integer, not string");
    expect(out.parsed.errors).toEqual([expect.objectContaining({ service: "artifact", kind: "invalid-response" })]);
    // The others as usual.
    expect(out.parsed.packages.map((row) => row.service).sort()).toEqual(["check", "pipeline"]);
    expect(upOf(out.metrics)).toEqual({ artifact: 0, check: 1, pipeline: 1 });
    promtoolAccepts(out.metrics);
  });

  it("Pipeline's resource_name sent as an array holding a forged series forges nothing and hides nothing", async () => {
    const forged = '"} 99999999\ncodearts_package_remaining_seconds{service="pipeline",resource="x",resource_type="",spec_code="",region=""} 99999999\n';
    answering({ pipeline: () => ({ status: 200, body: [{ resource_name: [forged], tips: { status: 2, next_action: 0, next_action_remain_day: 2 } }] }) });
    const out = await everyOutput();
    promtoolAccepts(out.metrics);
    const remaining = samplesOf(parseExposition(out.metrics), "codearts_package_remaining_seconds");
    expect(remaining.map((s) => [s.labels.service, s.value])).toEqual([
      ["artifact", 11 * 86400],
      ["check", 32 * 86400],
    ]);
    expect(out.metrics).not.toMatch(/^codearts_.*99999999/m);
    expect(upOf(out.metrics)).toEqual({ artifact: 1, check: 1, pipeline: 0 });
    expect(out.json.code).toBe(3);
    expect(out.parsed.errors[0]).toMatchObject({ service: "pipeline", kind: "invalid-response" });
    expect(out.parsed.errors[0]!.message).toContain("/0/resource_name must be string, not array");
    expect(out.nagios.stdout).toMatch(/^CODEARTS PACKAGES UNKNOWN - /);
  });

  it.each([
    ["a frozen package's resource_name: 42", () => [{ resource_name: 42, tips: { status: 99, next_action: 0, next_action_remain_day: 3 } }], "/0/resource_name must be string, not integer"],
    // As text: JSON.stringify would overflow the stack on it, as any recursive reader does.
    ["an entry nested 200,000 arrays deep", () => `[${"[".repeat(200_000)}${"]".repeat(200_000)}]`, "/0 must be object, not array"],
    ["tips sent as a string", () => [{ resource_name: "CodeArts", tips: "soon" }], "/0/tips matches none of the allowed shapes"],
    ["the list sent as an object", () => ({ 0: { resource_name: "CodeArts" } }), "(body) must be array, not object"],
  ])("%s: every output still shows the other services, and the exporter answers 200 with their service_up 1", async (_, body, why) => {
    answering({ pipeline: () => ({ status: 200, body: body() }) });
    const out = await everyOutput();
    expect(out.table.code).toBe(3);
    expect(out.table.stdout).toContain("codeartsStorageExtension");
    expect(out.table.stderr).toContain(why);
    expect(out.parsed.packages.map((row) => row.service).sort()).toEqual(["artifact", "check"]);
    expect(out.nagios.stdout).toMatch(/^CODEARTS PACKAGES UNKNOWN - 1 service failed: CodeArts Pipeline/);
    expect(upOf(out.metrics)).toEqual({ artifact: 1, check: 1, pipeline: 0 });
    const probe = await fetch(`${exporter.base}/probe`);
    expect(probe.status).toBe(200);
    expect(upOf(await probe.text())).toEqual({ artifact: 1, check: 1, pipeline: 0 });
    expect(out.metrics).toMatch(/codearts_exporter_service_failures_total\{service="pipeline",kind="invalid-response"\} [1-9]/);
  });

  it("a status code the spec does not list is shown, never fails the answer, and makes the verdict UNKNOWN rather than OK", async () => {
    answering({ pipeline: () => ({ status: 200, body: [{ resource_name: "CodeArts", tips: { status: 7, next_action: 9, next_action_remain_day: 200 } }] }) });
    const out = await everyOutput();
    expect(out.parsed.errors).toEqual([]);
    expect(out.table.stdout).toContain("unknown (7)");
    expect(out.nagios.code).toBe(3);
    expect(out.nagios.stdout).toMatch(/^CODEARTS PACKAGES UNKNOWN - 1 package in a status the spec does not list: CodeArts \(CodeArts Pipeline: unknown \(7\)\)/);
    const info = samplesOf(parseExposition(out.metrics), "codearts_package_info").find((s) => s.labels.service === "pipeline");
    expect(info?.labels).toMatchObject({ status: "unknown (7)", status_code: "7", next_action: "unknown (9)", next_action_code: "9" });
    expect(upOf(out.metrics).pipeline).toBe(1);
  });
});

describe("two packages of one type", () => {
  it("are two series, told apart by their resource ID, each with its own days", async () => {
    const entry = (id: string, days: number) => ({ resource_id: id, resource_name: "CodeArts Concurrency", resource_type: "hws.resource.type.codearts.concurrency", resource_spec_code: "c", tips: { status: 2, next_action: 0, next_action_remain_day: days } });
    answering({ pipeline: () => ({ status: 200, body: [entry("res-a", 3), entry("res-b", 40)] }) });
    const out = await everyOutput();
    const pipeline = samplesOf(parseExposition(out.metrics), "codearts_package_remaining_seconds").filter((s) => s.labels.service === "pipeline");
    expect(pipeline.map((s) => [s.labels.resource_id, s.value])).toEqual([
      ["res-a", 3 * 86400],
      ["res-b", 40 * 86400],
    ]);
    expect(out.parsed.packages.filter((row) => row.service === "pipeline").map((row) => (row as { resourceId?: string }).resourceId)).toEqual(["res-a", "res-b"]);
  });
});

describe("a credential a successful answer echoes", () => {
  it("appears in no output and no label: the table, --wide, --json, --nagios and the exporter", async () => {
    answering({
      artifact: (token) => ({ status: 200, body: { status: "success", result: { [`ext-${token}`]: { packageStatus: 2, remainDays: 3, serviceType: token, nextActionUrl: `https://renew.example/?t=${encodeURIComponent(token)}` } } } }),
      check: (token) => ({ status: 200, body: { result: { main_resource_list: [{ resourceType: `type ${token}`, resourceSpecCode: token, status: "normal" }], tips: { status: 2, next_action: 0, next_action_remain_day: 3, next_action_url: token } } } }),
      pipeline: (token) => ({ status: 200, body: [{ resource_name: token, tips: { status: 2, next_action: 0, next_action_remain_day: 3, next_action_url: JSON.stringify(token) } }] }),
    });
    const out = await everyOutput();
    for (const text of [out.table.stdout, out.table.stderr, out.wide.stdout, out.json.stdout, out.nagios.stdout, out.metrics, exporter.stderr()]) {
      expect(text).not.toContain("coreTOKEN4321");
    }
    expect(out.wide.stdout).toContain("[REDACTED]");
    expect(out.metrics).toContain('resource="[REDACTED]"');
    expect(out.parsed.packages).toHaveLength(3);
  });
});

describe("a proxy's password echoed into a successful answer", () => {
  it("appears in no output: the client does not know it, the command redacts it", async () => {
    const PASSWORD = "proxy-pass-corePROXY5555";
    // A hostile proxy: it accepts the tunnel, then answers the request inside it itself, with
    // the Proxy-Authorization it was sent, decoded, in every field.
    const inside = createServer((request, response) => {
      void request;
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify([{ resource_name: `via ${seen}`, resource_type: encodeURIComponent(seen), tips: { status: 2, next_action: 0, next_action_remain_day: 40, next_action_url: `http://${seen}@x` } }]));
    });
    let seen = "";
    const proxy: Server = createServer();
    proxy.on("connect", (request, socket) => {
      seen = Buffer.from(String(request.headers["proxy-authorization"] ?? "").replace(/^Basic /, ""), "base64").toString();
      socket.write("HTTP/1.1 200 Connection established\r\n\r\n");
      inside.emit("connection", socket);
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    try {
      const proxyUrl = `http://user:${PASSWORD}@127.0.0.1:${(proxy.address() as AddressInfo).port}`;
      // Only Pipeline goes through it (an http:// endpoint elsewhere, bypassed by NO_PROXY).
      const env = { HUAWEICLOUD_SDK_TOKEN: TOKEN, HTTP_PROXY: proxyUrl, NO_PROXY: "localhost" };
      const args = [...IDS, "--endpoint-artifact", server.url.replace("127.0.0.1", "localhost"), "--endpoint-check", server.url.replace("127.0.0.1", "localhost"), "--endpoint-pipeline", "http://pipeline.invalid"];
      answering({});
      const runs = await Promise.all([runCli(args, env), runCli([...args, "--wide"], env), runCli([...args, "--json"], env), runCli([...args, "--nagios"], env)]);
      expect(seen).toBe(`user:${PASSWORD}`);
      for (const run of runs) {
        expect(run.stdout + run.stderr).not.toContain("corePROXY5555");
        expect(run.code).toBe(1);
      }
      expect(runs[2]!.stdout).toContain("[REDACTED]");
    } finally {
      inside.close();
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });
});

// Any JSON at all in any field, numbers sent as decimal strings, the token echoed anywhere.
const anyJson = fc.jsonValue({ maxDepth: 3 });
const text = fc.oneof(fc.string({ maxLength: 12 }), fc.constant(TOKEN), fc.constant(`x${TOKEN}y`));
const maybe = <T>(good: fc.Arbitrary<T>): fc.Arbitrary<unknown> =>
  fc.oneof({ weight: 6, arbitrary: good }, { weight: 1, arbitrary: anyJson }, { weight: 1, arbitrary: fc.integer({ min: -5, max: 400 }).map(String) });
const days = maybe(fc.integer({ min: -5, max: 400 }));
const tipsStatus = maybe(fc.constantFrom(1, 2, 3, 4, 5, 99, 7));
const nextAction = maybe(fc.constantFrom(0, 1, 2, 4, 5, 3));
const tips = maybe(fc.oneof(fc.constant(null), fc.record({ status: tipsStatus, next_action: nextAction, next_action_remain_day: days, next_action_url: maybe(text) }, { requiredKeys: [] })));
const BODIES: Record<Service, fc.Arbitrary<unknown>> = {
  artifact: maybe(
    fc.record(
      {
        status: maybe(fc.constantFrom("success", "error")),
        result: maybe(fc.dictionary(fc.oneof(fc.string({ maxLength: 6 }), fc.constant(TOKEN)), maybe(fc.record({ resourceId: maybe(text), packageStatus: tipsStatus, remainDays: days, serviceType: maybe(text), nextActionUrl: maybe(text) }, { requiredKeys: [] })), { maxKeys: 3 })),
      },
      { requiredKeys: [] },
    ),
  ),
  check: maybe(
    fc.record(
      {
        result: maybe(
          fc.record(
            {
              main_resource_list: maybe(fc.array(maybe(fc.record({ resourceType: maybe(text), resourceSpecCode: maybe(text), status: maybe(fc.constantFrom("normal", "freeze", "close", "paused")) }, { requiredKeys: [] })), { maxLength: 2 })),
              other_resource_list: maybe(fc.array(maybe(fc.record({ resourceType: maybe(text), resourceId: maybe(text), specCode: maybe(text), resourceStatus: maybe(fc.constantFrom("normal", "freeze")) }, { requiredKeys: [] })), { maxLength: 2 })),
              tips,
            },
            { requiredKeys: [] },
          ),
        ),
      },
      { requiredKeys: [] },
    ),
  ),
  pipeline: maybe(fc.array(maybe(fc.record({ resource_id: maybe(text), resource_name: maybe(text), resource_type: maybe(text), resource_spec_code: maybe(text), tips }, { requiredKeys: [] })), { maxLength: 3 })),
};

describe("for any JSON a service sends", () => {
  it("the verdict is OK only when every answer decodes with every package's days left above --warn-days; the exposition passes promtool with one remaining_seconds series per package (per label set: the service's resource ID tells two of one type apart); no output shows the token", async () => {
    await fc.assert(
      fc.asyncProperty(fc.record(BODIES), async (bodies) => {
        answering({ artifact: () => ({ status: 200, body: bodies.artifact }), check: () => ({ status: 200, body: bodies.check }), pipeline: () => ({ status: 200, body: bodies.pipeline }) });
        const [json, nagios] = await Promise.all([report("--json", "--warn-days", "30"), report("--nagios", "--warn-days", "30")]);
        const metrics = await (await fetch(exporter.url)).text();
        const parsed = JSON.parse(json.stdout) as { packages: { service: Service; resource: string; resourceId: string | null; resourceType: string | null; specCode: string | null; daysLeft: number | null }[]; errors: { service: Service }[] };
        const decodes = (service: Service) => validateResponse(OPERATIONS[service], 200, bodies[service], { mode: "shape" }).length === 0;

        expect(nagios.code).toBe(json.code);
        if (json.code === 0) {
          for (const service of ["artifact", "check", "pipeline"] as const) expect(decodes(service)).toBe(true);
          for (const row of parsed.packages) expect(row.daysLeft === null || row.daysLeft > 30).toBe(true);
          expect(nagios.stdout).toMatch(/^CODEARTS PACKAGES OK - /);
        }
        // A service whose answer does not decode is a failure, never silently empty.
        for (const service of ["artifact", "check", "pipeline"] as const) {
          if (!decodes(service)) expect(parsed.errors.map((e) => e.service)).toContain(service);
        }

        promtoolAccepts(metrics);
        const samples = parseExposition(metrics);
        const failed = new Set(parsed.errors.map((e) => e.service));
        expect(upOf(metrics)).toEqual({ artifact: failed.has("artifact") ? 0 : 1, check: failed.has("check") ? 0 : 1, pipeline: failed.has("pipeline") ? 0 : 1 });
        const expiring = new Set(parsed.packages.filter((row) => row.daysLeft !== null).map((row) => JSON.stringify([row.service, row.resource, row.resourceId ?? "", row.resourceType ?? "", row.specCode ?? ""])));
        const series = samplesOf(samples, "codearts_package_remaining_seconds").map((s) => JSON.stringify([s.labels.service, s.labels.resource, s.labels.resource_id, s.labels.resource_type, s.labels.spec_code]));
        expect(series.sort()).toEqual([...expiring].sort());

        for (const output of [json.stdout, json.stderr, nagios.stdout, nagios.stderr, metrics]) expect(output).not.toContain("coreTOKEN4321");
      }),
      { numRuns: 60 },
    );
  });
});
