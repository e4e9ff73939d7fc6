// The server's name and --help.
import { ENV_VARIABLES } from "@codearts-package-status/client";
import { OPERATION_TOOLS } from "./generated/tools.js";

/** The program's name, as each line it writes on stderr starts. */
export const PROGRAM = "codearts-package-status-mcp";

/** `--help`. */
export const USAGE = `Usage: ${PROGRAM} --region REGION [options]
       ${PROGRAM} --mock

A Model Context Protocol server on stdin and stdout: one read-only tool per CodeArts package
status operation (${OPERATION_TOOLS.map((tool) => tool.name).join(", ")}) and package_report,
which answers "what expires, where, and where do I renew it?". Start it from an MCP client (Claude Desktop, VS Code); see the README.

It takes the options of codearts-package-status, and reads the same environment:
  --region REGION[,REGION]   the regions package_report asks by default; the operation tools ask the first
  --mock                     serve the documented examples from the embedded mock (nothing is sent to Huawei Cloud)
  --project-id ID            the CodeArts project the tools ask about when a call names none (CODEARTS_PROJECT_ID)
  --tenant-id ID             the tenant (${ENV_VARIABLES.domainId}); left out, the one IAM reports for the credentials
  --endpoint-artifact URL, --endpoint-check URL, --endpoint-pipeline URL, --endpoint-iam URL
  --timeout-ms N             the timeout of each attempt
  --verbose                  say on stderr where each setting came from
Credentials: ${ENV_VARIABLES.accessKey} and ${ENV_VARIABLES.secretKey} (${ENV_VARIABLES.securityToken}), or ${ENV_VARIABLES.token},
a profile in ~/.huaweicloud/credentials, or ECS metadata; --access-key/--secret-key/--token
work too, but put keys in the environment of the server's entry, not in its arguments.
Tool calls never carry credentials, and no credential appears in a result or on stderr.

Exit codes: 0 after the client closes the connection; 3 for bad usage or no credentials.`;
