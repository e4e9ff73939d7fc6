// The typescript-fetch client OpenAPI Generator produces from our spec (generated at bench time), calling one operation with a token.
import { CheckApi, Configuration } from "../generated-typescript-fetch/index.js";

export function showStatus(token: string, projectId: string) {
  const api = new CheckApi(new Configuration({ basePath: "https://codearts-check.cn-north-4.myhuaweicloud.com", headers: { "X-Auth-Token": token } }));
  return api.showTenantPackageStatus({ projectId });
}
