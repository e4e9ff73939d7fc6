/**
 * Programmatic API of `@codearts-package-status/mcp`: the server as the bin runs it (`main`), and
 * the operation tools generated from the spec. Nothing here exposes the MCP SDK's own types, so a
 * project that imports this package type-checks without loading them.
 *
 * @module
 */
export { main, type McpMainOptions } from "./main.js";
export { OPERATION_TOOLS, SPEC_VERSION, type OperationTool } from "./generated/tools.js";
