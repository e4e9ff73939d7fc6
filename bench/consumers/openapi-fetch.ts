// Bare openapi-fetch typed by the generated `paths`, calling one operation with a token.
import createClient from "openapi-fetch";
import type { paths } from "@codearts-package-status/types";

export async function showStatus(token: string, projectId: string) {
  const client = createClient<paths>({ baseUrl: "https://codearts-check.cn-north-4.myhuaweicloud.com", headers: { "X-Auth-Token": token } });
  const { data, error } = await client.GET("/v4/tenant/tenant-package-status", { params: { query: { project_id: projectId } } });
  if (error !== undefined) throw new Error("request failed");
  return data;
}
