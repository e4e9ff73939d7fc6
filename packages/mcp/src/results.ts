// The two shapes of a tool result this server sends: structured content with its JSON as text,
// or an error the assistant reads and can act on. Every text goes through the command's escaping.
import { escapeJson, escapeText } from "@codearts-package-status/cli";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";

/**
 * A tool's result: `structured` as structuredContent, and its JSON as the text (MCP's advice for
 * clients that read only text), escaped as `--json` escapes it; `summary`, when given, comes first, escaped line by line.
 */
export function structuredResult(structured: Record<string, unknown>, summary?: string, meta?: Record<string, unknown>): CallToolResult {
  const json = escapeJson(JSON.stringify(structured));
  const lines = summary === undefined ? [] : [{ type: "text" as const, text: summary.split("\n").map((line) => escapeText(line)).join("\n") }];
  return {
    content: [...lines, { type: "text", text: json }],
    structuredContent: structured,
    ...(meta ? { _meta: meta } : {}),
  };
}

/** A failed call: `isError`, and the lines saying why, each escaped as the command escapes its messages. */
export function errorResult(lines: readonly string[]): CallToolResult {
  return { content: [{ type: "text", text: lines.map((line) => escapeText(line)).join("\n") }], isError: true };
}
