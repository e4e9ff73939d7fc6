/**
 * Programmatic API of `@codearts-package-status/cli`: the command itself (`main`, what the
 * `codearts-package-status` bin runs), the report it prints, for use from your own code with
 * your own client, and `runWithReporter`, the command's set-up for a program that makes reports
 * on request (the MCP server of `@codearts-package-status/mcp`).
 *
 * @module
 */
export { main, type MainOptions, type Output, type Signals } from "./main.js";
export { artifactRows, checkRows, collectPackages, describeFailure, pipelineRows, sortPackages } from "./report.js";
export type {
  AnsweredRequest,
  CallTiming,
  CollectOptions,
  CollectResult,
  FailureKind,
  PackageIds,
  PackageRow,
  PackageStatusReport,
  ReportSources,
  ServiceFailure,
  SkippedService,
} from "./report.js";
export { cellsOf, COLUMNS, renderTable, type TableOptions } from "./format.js";
export { escapeJson, escapeText } from "./escape.js";
export { DEFAULT_CRITICAL_DAYS, DEFAULT_WARN_DAYS, EXIT, type ExitCode } from "./exit-codes.js";
export { assess, DEFAULT_THRESHOLDS, severityOf, thresholdsOf, type Assessment, type Severity, type Thresholds } from "./severity.js";
export {
  DOES_NOT_EXPIRE,
  NEXT_ACTION_WORDS,
  nextActionWords,
  RESOURCE_STATUS_WORDS,
  resourceStatusWords,
  TIPS_STATUS_WORDS,
  tipsStatusWords,
} from "./words.js";
export { runWithReporter, type Reporter, type ReporterClient, type ReporterProgram, type ReportRequest } from "./reporter.js";
export type { RegionsReport } from "./regions-report.js";
