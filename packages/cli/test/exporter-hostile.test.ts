// Label values come from the network. Whatever a service sends (line breaks, quotes,
// backslashes, terminal escapes, an echo of the credentials), the exporter's answer must still
// parse, with each value intact, and carry no secret; its log must carry none either.
import { execFileSync } from "node:child_process";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parameterExample } from "@codearts-package-status/test-support";
import { FORBIDDEN, HOSTILE_TEXT } from "./support/hostile.js";
import { parseExposition, samplesOf, startExporter, startServices, type Answer, type RunningExporter, type Service, type Services } from "./support/exporter.js";

const PROMTOOL = process.env.PROMTOOL_PATH ?? "/usr/bin/promtool";
const IDS = ["--project-id", String(parameterExample("ProjectId")), "--tenant-id", String(parameterExample("TenantId"))];
const TOKEN = "MIIT-exporter-echoed-coreTOKEN9876";
const SK = "sk-exporter-echo-0123456789abcdef";
const AK = "AKEXPORTERECHO0001";

// The values a hostile service sends this time, one per string field.
let fields = { name: "x", type: "t", spec: "s", url: "u" };
const answerFor = (service: Service): Answer => {
  if (service === "artifact") return { status: 200, body: { status: "success", result: { [fields.name]: { packageStatus: 2, remainDays: 5, serviceType: fields.type, nextActionUrl: fields.url } } } };
  if (service === "check") {
    return {
      status: 200,
      body: { result: { main_resource_list: [{ resourceType: fields.type, resourceSpecCode: fields.spec, status: fields.name }], other_resource_list: [], tips: { status: 2, next_action: 0, next_action_remain_day: 3, next_action_url: fields.url } } },
    };
  }
  return { status: 200, body: [{ resource_name: fields.name, resource_type: fields.type, resource_spec_code: fields.spec, tips: { status: 2, next_action: 2, next_action_remain_day: 1, next_action_url: fields.url } }] };
};

let services: Services;
let exporter: RunningExporter;
beforeAll(async () => {
  services = await startServices(answerFor);
  // No cache: every scrape asks again, so each property run sees its own values.
  exporter = await startExporter(["--listen", "127.0.0.1:0", "--cache-seconds", "0", ...IDS, ...services.flags], { HUAWEICLOUD_SDK_TOKEN: TOKEN });
});
afterAll(async () => {
  expect(await exporter.stop()).toBe(0);
  await services.close();
});

const promtoolAccepts = (text: string): void => void execFileSync(PROMTOOL, ["check", "metrics"], { input: text, encoding: "utf8", stdio: ["pipe", "pipe", "pipe"] });

describe("hostile label values", () => {
  it("a newline, a quote, a backslash and ESC in every field leave the answer parseable, each value intact", async () => {
    const hostile = 'evil\n# TYPE codearts_package_info counter\ncodearts_package_info{service="forged"} 1\\"\u001b[31m';
    fields = { name: hostile, type: `${hostile}-type`, spec: `${hostile}-spec`, url: `https://renew.example/?q="${hostile}` };
    const text = await (await fetch(exporter.url)).text();
    promtoolAccepts(text);
    const samples = parseExposition(text);
    const info = (service: Service) => samplesOf(samples, "codearts_package_info").filter((sample) => sample.labels.service === service);
    expect(samplesOf(samples, "codearts_package_info")).toHaveLength(3);
    expect(info("artifact")[0]?.labels).toMatchObject({ resource: hostile, resource_type: `${hostile}-type`, renewal_url: fields.url });
    expect(info("check")[0]?.labels).toMatchObject({ resource: `${hostile}-type (main package)`, spec_code: `${hostile}-spec` });
    expect(info("pipeline")[0]?.labels).toMatchObject({ resource: hostile, spec_code: `${hostile}-spec` });
    // No forged series: the only package series are the three the services reported.
    expect(samplesOf(samples, "codearts_package_remaining_seconds").map((sample) => sample.value).sort((a, b) => a - b)).toEqual([86400, 3 * 86400, 5 * 86400]);
  });

  it("any hostile text in any field keeps the answer valid for promtool and the values as sent", async () => {
    await fc.assert(
      fc.asyncProperty(HOSTILE_TEXT, HOSTILE_TEXT, HOSTILE_TEXT, HOSTILE_TEXT, async (name, type, spec, url) => {
        fields = { name, type, spec, url };
        const text = await (await fetch(exporter.url)).text();
        promtoolAccepts(text);
        const artifact = samplesOf(parseExposition(text), "codearts_package_info").find((sample) => sample.labels.service === "artifact");
        // Text that is not well-formed UTF-16 cannot survive UTF-8; HOSTILE_TEXT never makes any.
        expect(artifact?.labels).toMatchObject({ resource: name, resource_type: type, renewal_url: url });
      }),
      { numRuns: 25 },
    );
  });
});

describe("hostile request input", () => {
  it("the answer to an unknown /probe parameter shows bidi overrides, line separators and zero-width characters escaped, on one line", async () => {
    const name = "project\u202eid\u2028x\u200b\u2060\ufeff";
    const response = await fetch(`${exporter.base}/probe?${encodeURIComponent(name)}=1`);
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text).not.toMatch(FORBIDDEN);
    expect(text.split("\n")).toHaveLength(2);
    expect(text).toContain('unknown parameter "project\\u202eid\\u2028x\\u200b\\u2060\\ufeff"');
  });

  it("any hostile parameter name is answered as one line with nothing invisible in it", async () => {
    await fc.assert(
      fc.asyncProperty(HOSTILE_TEXT, async (name) => {
        fc.pre(!["region", "project_id", "tenant_id"].includes(name));
        const text = await (await fetch(`${exporter.base}/probe?${encodeURIComponent(name)}=1`)).text();
        expect(text).not.toMatch(FORBIDDEN);
        expect(text.indexOf("\n")).toBe(text.length - 1);
      }),
      { numRuns: 50 },
    );
  });
});

describe("no secret, ever", () => {
  it("an echoed token is redacted from label values, and an echo in an error reaches neither the answer nor the log", async () => {
    fields = { name: `pkg-${TOKEN}`, type: TOKEN, spec: encodeURIComponent(TOKEN), url: `https://renew.example/?t=${TOKEN}` };
    const text = await (await fetch(exporter.url)).text();
    expect(text).not.toContain("coreTOKEN9876");
    expect(text).toContain("[REDACTED]");
    promtoolAccepts(text);
    expect(exporter.stderr()).not.toContain("coreTOKEN9876");
  });

  it("with an access key pair, a service echoing the secret key in an error leaves no trace of it", async () => {
    const echoing = await startServices(() => ({ status: 403, body: { error_code: `APIG.${SK}`, error_msg: `denied for ${AK} ${SK}` } }));
    const signed = await startExporter(["--listen", "127.0.0.1:0", ...IDS, ...echoing.flags], { HUAWEICLOUD_SDK_AK: AK, HUAWEICLOUD_SDK_SK: SK });
    try {
      const text = await (await fetch(signed.url)).text();
      expect(samplesOf(parseExposition(text), "codearts_service_up").map((sample) => sample.value)).toEqual([0, 0, 0]);
      await expect.poll(() => signed.stderr()).toContain("permission denied");
      for (const output of [text, signed.stdout(), signed.stderr()]) expect(output).not.toContain(SK);
    } finally {
      expect(await signed.stop()).toBe(0);
      await echoing.close();
    }
  });
});
