// Our client with an IAM token, calling one operation through the raw openapi-fetch surface.
import { createClient } from "@codearts-package-status/client";

export async function showStatus(token: string, projectId: string) {
  const client = createClient({ region: "cn-north-4", credentials: { token } });
  const { data } = await client.GET("/v4/tenant/tenant-package-status", { params: { query: { project_id: projectId } } });
  return data;
}
