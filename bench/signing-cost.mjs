// The cost of signing one request alone (SDK-HMAC-SHA256), ours beside Huawei's Node SDK:
//   our `signRequest` (node:crypto, what it uses in Node) | our `signRequest` with
//   `subtle: globalThis.crypto.subtle` (WebCrypto, what browsers use) | `AKSKSigner.sign` from
//   @huaweicloud/huaweicloud-sdk-core (synchronous, node:crypto)
// The request is the one the AK/SK client signs for CodeArts Check's ShowTenantPackageStatus: a GET
// with `project_id` in the query, signing host and X-Sdk-Date. All three are first checked to give
// the same Authorization for a fixed date, then timed in interleaved rounds (the order rotates),
// each signing at the current time as a real call does; µs per signature is the median round.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { AKSKSigner } from "@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner.js";
import { signRequest } from "@codearts-package-status/client/signer";
import { args, fmt, median, now, table, versionOf } from "./lib/common.mjs";

const ORIGIN = "https://codearts-check.cn-north-4.myhuaweicloud.com";
const CHECK_PATH = "/v4/tenant/tenant-package-status";
const PROJECT_ID = "666666af0f00445f85dec483fbc97c78";
const AK = "BENCHACCESSKEYID0001";
const SK = "bench-secret-access-key-0000000000000000";
const URL_TEXT = `${ORIGIN}${CHECK_PATH}?project_id=${PROJECT_ID}`;
const credential = { getAk: () => AK, getSk: () => SK };

/** Each contender signs once (at `date`, or now) and resolves with the Authorization header. */
const CONTENDERS = [
  {
    id: "ours-node",
    name: "our `signRequest` (node:crypto)",
    sign: async (date) => (await signRequest({ method: "GET", url: URL_TEXT, accessKey: AK, secretKey: SK, date })).get("authorization"),
  },
  {
    id: "ours-webcrypto",
    name: "our `signRequest`, `subtle: globalThis.crypto.subtle` (WebCrypto)",
    sign: async (date) =>
      (await signRequest({ method: "GET", url: URL_TEXT, accessKey: AK, secretKey: SK, date, subtle: globalThis.crypto.subtle })).get("authorization"),
  },
  {
    id: "huawei",
    name: `Huawei's \`AKSKSigner.sign\` (@huaweicloud/huaweicloud-sdk-core ${versionOf("@huaweicloud/huaweicloud-sdk-core")})`,
    sign: async (date) => {
      const headers = date ? { "X-Sdk-Date": date.toISOString().replace(/[-:]|\.\d{3}/g, "") } : {};
      return AKSKSigner.sign({ endpoint: `${ORIGIN}${CHECK_PATH}`, method: "GET", headers, queryParams: { project_id: PROJECT_ID } }, credential).Authorization;
    },
  },
];

export async function run(options = {}) {
  const quick = options.quick ?? false;
  const fixed = new Date("2026-01-02T03:04:05Z");
  const expected = await CONTENDERS[0].sign(fixed);
  for (const c of CONTENDERS) {
    const got = await c.sign(fixed);
    if (got !== expected) throw new Error(`${c.id} signs differently:\n  ${got}\n  ${expected}`);
  }
  const settings = { rounds: quick ? 5 : 31, perRound: quick ? 300 : 1000 };
  const perSignature = Object.fromEntries(CONTENDERS.map((c) => [c.id, []]));
  const time = async (c, count) => {
    const t0 = now();
    for (let i = 0; i < count; i++) await c.sign(undefined);
    return ((now() - t0) * 1000) / count;
  };
  for (const c of CONTENDERS) await time(c, 2000); // warm-up: JIT
  for (let r = 0; r < settings.rounds; r++) {
    for (let i = 0; i < CONTENDERS.length; i++) {
      const c = CONTENDERS[(i + r) % CONTENDERS.length];
      perSignature[c.id].push(await time(c, settings.perRound));
    }
  }
  const ref = perSignature["ours-node"];
  const results = Object.fromEntries(
    CONTENDERS.map((c) => [c.id, { us: median(perSignature[c.id]), vsOursNode: median(perSignature[c.id].map((v, r) => v / ref[r])), rounds: perSignature[c.id] }]),
  );
  const text = [
    table(
      ["signer", "µs per signature", "vs our node:crypto path"],
      CONTENDERS.map((c) => [c.name, results[c.id].us.toFixed(1), fmt.ratio(results[c.id].vsOursNode)]),
      ["l", "r", "r"],
    ),
    "",
    `${settings.rounds} interleaved rounds × ${fmt.int(settings.perRound)} signatures per signer, one at a time (plus a warm-up), of \`GET ${CHECK_PATH}?project_id=…\` ` +
      "signing `host` and `X-Sdk-Date` at the current time, as the AK/SK client does; all three give the same `Authorization` for the same date (checked first). " +
      "µs per signature is the median round, the ratio the median of same-round ratios.",
  ].join("\n");
  return { results, settings, tables: { "signing-cost": text } };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const a = args();
  const out = await run({ quick: Boolean(a.quick) });
  if (a.json) {
    mkdirSync(path.dirname(a.json), { recursive: true });
    writeFileSync(a.json, JSON.stringify(out, null, 2));
  }
  console.log(out.tables["signing-cost"]);
}
