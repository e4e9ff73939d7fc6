// Our client with an IAM token and its own endpoint for CodeArts Check (a proxy, a private
// endpoint), calling one operation.
import { createClient } from "@codearts-package-status/client";

export function showStatus(token: string, projectId: string) {
  const client = createClient({ endpoints: { check: "https://codearts-check.example.internal" }, credentials: { token } });
  return client.check.showTenantPackageStatus({ project_id: projectId });
}
