// Our client with AK/SK signing, calling one operation.
import { createClient } from "@codearts-package-status/client";

export function showStatus(accessKey: string, secretKey: string, projectId: string) {
  const client = createClient({ region: "cn-north-4", credentials: { accessKey, secretKey } });
  return client.check.showTenantPackageStatus({ project_id: projectId });
}
