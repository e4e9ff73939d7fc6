/**
 * Programmatic API of `@codearts-package-status/mcp`: the server as the bin runs it (`main`), and
 * the server itself on a set-up of your own, for another transport.
 *
 * @module
 */
export { main, type McpMainOptions } from "./main.js";
export { createMcpServer, type McpServerOptions } from "./server.js";
export { OPERATION_TOOLS, SPEC_VERSION, type OperationTool } from "./generated/tools.js";
export { PACKAGE_REPORT_TOOL } from "./package-report.js";
