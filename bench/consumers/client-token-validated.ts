// Our client with an IAM token and response validation on, calling one operation.
import { createClient } from "@codearts-package-status/client";

export function showStatus(token: string, projectId: string) {
  const client = createClient({ region: "cn-north-4", credentials: { token }, validateResponses: true });
  return client.check.showTenantPackageStatus({ project_id: projectId });
}
