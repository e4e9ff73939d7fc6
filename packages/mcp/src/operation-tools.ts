// The tools generated from the spec (src/generated/tools.ts): a call is checked against the
// tool's input schema before anything is sent, made through the client on the server's set-up,
// and its answer checked against the tool's output schema before it is handed on, so the
// assistant gets the documented shape or an error that says which field broke it.
import type { Reporter } from "@codearts-package-status/cli";
import { SERVICE_NAMES, type Service } from "@codearts-package-status/client";
import type { CallToolResult, Tool } from "@modelcontextprotocol/sdk/types.js";
import type { OperationTool } from "./generated/tools.js";
import { errorResult, structuredResult } from "./results.js";
import { schemaProblems } from "./schema-check.js";

/** The tool as `tools/list` shows it. */
export function listedOperationTool(tool: OperationTool): Tool {
  const { name, title, description, inputSchema, outputSchema, annotations } = tool;
  return { name, title, description, inputSchema, outputSchema, annotations } as unknown as Tool;
}

/** Calls the operation of `tool` with `input`; never rejects. */
export async function callOperationTool(tool: OperationTool, input: Record<string, unknown>, reporter: Reporter, signal: AbortSignal): Promise<CallToolResult> {
  const problems = schemaProblems(tool.inputSchema, input);
  if (problems.length > 0) return errorResult([`${tool.name}: invalid input, nothing was sent: ${problems.join("; ")}`]);
  const { client, describe } = await reporter.client();
  const parameters: Record<string, unknown> = { ...input };
  // The server's own --project-id and --tenant-id, as the command uses them, for what the call leaves out.
  const { properties } = tool.inputSchema;
  if (parameters.project_id === undefined && "project_id" in properties && reporter.ids.projectId !== undefined) parameters.project_id = reporter.ids.projectId;
  if (parameters.tenant_id === undefined && "tenant_id" in properties && reporter.ids.tenantId !== undefined) parameters.tenant_id = reporter.ids.tenantId;
  const resource = (client as unknown as Record<Service, Record<string, (parameters: object, options: { signal: AbortSignal }) => Promise<unknown>>>)[tool.service];
  let body: unknown;
  try {
    body = await resource[tool.method]!(parameters, { signal });
  } catch (error) {
    const { failure, line } = describe(tool.service, error);
    const details = [failure.httpStatus === null ? undefined : `HTTP ${failure.httpStatus}`, failure.errorCode && `error_code ${failure.errorCode}`, failure.requestId && `request ID ${failure.requestId}`].filter(Boolean);
    return errorResult([line, ...(details.length > 0 ? [details.join(", ")] : [])]);
  }
  const requestId = (body as { _request_id?: unknown } | null)?._request_id;
  const structured = tool.wrapped ? { body } : (body as Record<string, unknown>);
  const broken = schemaProblems(tool.outputSchema, structured, "the body");
  if (broken.length > 0) {
    return errorResult([`${SERVICE_NAMES[tool.service]}: unexpected response: ${tool.operationId} returned a body that breaks the spec: ${broken.join("; ")}${typeof requestId === "string" ? ` (request ID ${requestId})` : ""}`]);
  }
  return structuredResult(structured, undefined, typeof requestId === "string" ? { "codearts-package-status/request-id": requestId } : undefined);
}
