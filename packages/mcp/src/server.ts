// The MCP server: the generated operation tools and package_report, on one open set-up of the
// report (credentials, regions, endpoints, --mock, proxy). The SDK's low-level Server serves the
// tools' JSON Schemas as the generator wrote them, with no conversion in between.
import type { Reporter } from "@codearts-package-status/cli";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { OPERATION_TOOLS, type OperationTool } from "./generated/tools.js";
import { callOperationTool, listedOperationTool } from "./operation-tools.js";
import { callPackageReport, PACKAGE_REPORT, PACKAGE_REPORT_TOOL } from "./package-report.js";
import { errorResult } from "./results.js";

/** Options of {@link createMcpServer}. */
export interface McpServerOptions {
  /** The version `initialize` reports: the package's. */
  version: string;
  /** The operation tools; default the ones generated from the spec. */
  tools?: readonly OperationTool[] | undefined;
}

/** An MCP server of the CodeArts tools on `reporter`'s set-up; connect it to a transport. */
export function createMcpServer(reporter: Reporter, options: McpServerOptions): Server {
  const tools = options.tools ?? OPERATION_TOOLS;
  const server = new Server(
    { name: "codearts-package-status", title: "CodeArts package status", version: options.version },
    {
      capabilities: { tools: {} },
      instructions:
        "Read-only tools for the Huawei Cloud CodeArts package status APIs. To answer which packages expire, in which regions and where to renew them, call package_report; the other tools return one service's answer as the API sends it.",
    },
  );
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: [...tools.map(listedOperationTool), PACKAGE_REPORT_TOOL] }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    const { name } = request.params;
    const input = request.params.arguments ?? {};
    try {
      if (name === PACKAGE_REPORT) return await callPackageReport(input, reporter, extra.signal);
      const tool = tools.find((one) => one.name === name);
      if (tool) return await callOperationTool(tool, input, reporter, extra.signal);
      return errorResult([`no tool named ${JSON.stringify(name.slice(0, 64))}; the tools are ${[...tools.map((one) => one.name), PACKAGE_REPORT].join(", ")}`]);
    } catch (error) {
      // A call never takes the server down: what escaped is said, its message only (the client
      // redacted its own credentials from it, the set-up its proxy's).
      const message = reporter.redact(error instanceof Error ? error.message : String(error));
      return errorResult([`${name.slice(0, 64)}: ${message.replace(/\s*\n\s*/g, " ")}`]);
    }
  });
  return server;
}
