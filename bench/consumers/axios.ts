// An axios-based equivalent, calling one operation with a token (response typed by hand from @codearts-package-status/types).
import axios from "axios";
import type { ShowTenantPackageStatusResponse } from "@codearts-package-status/types";

export async function showStatus(token: string, projectId: string) {
  const response = await axios.get<ShowTenantPackageStatusResponse>("https://codearts-check.cn-north-4.myhuaweicloud.com/v4/tenant/tenant-package-status", {
    params: { project_id: projectId },
    headers: { "X-Auth-Token": token },
  });
  return response.data;
}
