// Raw fetch, the floor: one operation with a token, no types, no error handling beyond the status.
import type { ShowTenantPackageStatusResponse } from "@codearts-package-status/types";

export async function showStatus(token: string, projectId: string): Promise<ShowTenantPackageStatusResponse> {
  const url = `https://codearts-check.cn-north-4.myhuaweicloud.com/v4/tenant/tenant-package-status?project_id=${encodeURIComponent(projectId)}`;
  const response = await fetch(url, { headers: { "X-Auth-Token": token } });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return (await response.json()) as ShowTenantPackageStatusResponse;
}
