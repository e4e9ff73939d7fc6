// The main job's closing step: starts the embedded mock server on 127.0.0.1 and calls every
// operation through the built client, once with an IAM token and once with AK/SK signing.
import { createRequire } from "node:module";
import path from "node:path";
import { repoRoot } from "./lib/repo.mjs";

// The packages are the workspace's own builds, loaded as a consumer would load them.
const requireFromIntegration = createRequire(path.join(repoRoot, "packages/integration-tests/package.json"));
const { createClient, ApiError } = await import(requireFromIntegration.resolve("@codearts-package-status/client"));
const { startMockServer } = await import(requireFromIntegration.resolve("@codearts-package-status/mock"));

const accessKey = "DEMOACCESSKEY";
const secretKey = "demo-secret-key";
const mock = await startMockServer({ port: 0, credentials: { accessKeys: { [accessKey]: secretKey } } });
console.log(`mock server of the CodeArts package status APIs listening on ${mock.url}`);
try {
  for (const [label, credentials] of [
    ["IAM token", { token: "demo-token" }],
    ["AK/SK signature", { accessKey, secretKey }],
  ]) {
    const client = createClient({
      region: "cn-north-4",
      endpoints: { artifact: mock.url, check: mock.url, pipeline: mock.url },
      credentials,
      validateResponses: true,
    });
    console.log(`\nwith ${label}:`);
    const info = await client.artifact.showPackageInfo({ project_id: "666666af0f00445f85dec483fbc97c78" });
    for (const [extension, status] of Object.entries(info.result ?? {})) {
      console.log(`  CodeArts Artifact  ${extension}: ${status.remainDays} days left`);
    }
    const { result } = await client.check.showTenantPackageStatus({ project_id: "666666af0f00445f85dec483fbc97c78" });
    for (const resource of result?.main_resource_list ?? []) {
      console.log(`  CodeArts Check     ${resource.resourceSpecCode} (${resource.status}), ${result?.tips?.next_action_remain_day} days to next action`);
    }
    const packages = await client.pipeline.validateTenantPackageIsExpired({ tenant_id: "389efb76b1354e4482eabeedxxxxxxxx", is_main: "true" });
    for (const entry of packages) {
      console.log(`  CodeArts Pipeline  ${entry.resource_name} (${entry.resource_spec_code}): ${entry.tips ? `${entry.tips.next_action_remain_day} days` : "does not expire"}`);
    }
  }
  const expired = createClient({ endpoints: { check: mock.url }, credentials: { token: "demo-token" }, fetch: (request) => {
    request.headers.set("prefer", "code=401");
    return fetch(request);
  } });
  await expired.check.showTenantPackageStatus().catch((error) => {
    if (!(error instanceof ApiError)) throw error;
    console.log(`\nan expired token is a typed error: ${error.name} ${error.status} ${error.errorCode} "${error.errorMsg}"`);
  });
} finally {
  await mock.close();
}
