// The main job's closing step: shows what the spec describes and where each operation is served.
import { readFileSync } from "node:fs";
import { bundledJson } from "./lib/repo.mjs";
import { operationsOf } from "./lib/spec.mjs";

const spec = JSON.parse(readFileSync(bundledJson, "utf8"));
const region = process.argv[2] ?? "cn-north-4";
console.log(`${spec.info.title} ${spec.info.version}: ${operationsOf(spec).length} operations, host for region ${region}:`);
for (const operation of operationsOf(spec)) {
  const server = operation.servers.find((s) => s.variables?.region?.enum?.includes(region));
  const host = server ? server.url.replace("{region}", region) : "(not offered in this region)";
  console.log(`  ${operation.operationId.padEnd(31)} ${operation.method.toUpperCase()} ${host}${operation.path}`);
}
