// Plain-text rendering: aligned columns that survive `grep`, `cut` and cron mail, with color
// only for a person at a terminal.
import { ENV } from "./env.js";
import { escapeText } from "./escape.js";
import { ENDPOINT_FLAGS, SERVICE_NAMES } from "./generated/tables.js";
import type { PackageRow, ServiceFailure } from "./report.js";
import { severityOf, type Thresholds } from "./severity.js";

/** Options of {@link renderTable}. */
export interface TableOptions {
  /** Color the days left (red when critical, yellow when a warning); only for a terminal. */
  color?: boolean | undefined;
  /** `--warn-days` and `--critical-days` for the colors; default 30 and 7. */
  thresholds?: Thresholds | undefined;
}

/** The column headers of the table, in order. */
export const COLUMNS = ["SERVICE", "RESOURCE", "SPEC CODE", "STATUS", "DAYS LEFT", "NEXT ACTION", "RENEWAL LINK"] as const;

// An empty cell would break `awk`-style splitting on runs of spaces, so absent values print as "-".
const NONE = "-";
// Two spaces between columns: cell values contain single spaces ("in effect").
const GAP = "  ";

/** The cells of a row as the table prints them: what the service sent, escaped by {@link escapeText}. */
export function cellsOf(row: PackageRow): string[] {
  return [
    SERVICE_NAMES[row.service],
    row.resource,
    row.specCode ?? NONE,
    row.status,
    row.daysLeft === null ? NONE : String(row.daysLeft),
    row.nextAction ?? NONE,
    row.renewalUrl ?? NONE,
    // String(): without response validation a hostile service can send any JSON value here.
  ].map((cell) => escapeText(String(cell)));
}

/** Renders the rows as an aligned table with a header line; every line ends with a newline. */
export function renderTable(rows: readonly PackageRow[], options: TableOptions = {}): string {
  const lines = [[...COLUMNS], ...rows.map(cellsOf)];
  // A loop, not Math.max(...column): spreading hundreds of thousands of rows as arguments
  // overflows the stack. The widths are of the escaped text, which is what is printed.
  const widths = COLUMNS.map(() => 0);
  for (const cells of lines) cells.forEach((cell, column) => (widths[column] = Math.max(widths[column] ?? 0, cell.length)));
  const daysColumn = COLUMNS.indexOf("DAYS LEFT");
  return lines
    .map((cells, line) =>
      cells
        .map((cell, column) => {
          // The last column is not padded, so lines carry no trailing spaces.
          const padded = column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0);
          const row = line > 0 ? rows[line - 1] : undefined;
          return options.color && row && column === daysColumn ? paint(padded, severityOf(row, options.thresholds)) : padded;
        })
        .join(GAP),
    )
    .map((text) => `${text}\n`)
    .join("");
}

/** The credential kind in use, which decides the hint after an authentication failure. */
export type CredentialKind = "token" | "aksk";

/**
 * One stderr line for a failed service: the service, what went wrong, and what to try.
 * `proxyVariable` names the proxy variable the service's requests went through, if any.
 */
export function formatFailure(failure: ServiceFailure, credentialKind: CredentialKind, proxyVariable?: string): string {
  const hint = hintFor(failure, credentialKind, proxyVariable);
  return `${SERVICE_NAMES[failure.service]}: ${failure.message}${hint ? `; ${hint}` : ""}`;
}

/** What to try after a failure of this kind, or undefined when there is nothing useful to say. */
export function hintFor(failure: ServiceFailure, credentialKind: CredentialKind, proxyVariable?: string): string | undefined {
  switch (failure.kind) {
    case "authentication":
      return credentialKind === "token"
        ? `hint: the IAM token may have expired (tokens last 24 hours) or belong to another account; get a new one and set ${ENV.token}`
        : `hint: check ${ENV.accessKey} and ${ENV.secretKey} (and ${ENV.securityToken} for temporary credentials, which expire)`;
    case "permission":
      return "hint: the credentials are valid but not allowed to call this API; check the user's IAM permissions";
    case "connection":
    case "timeout":
      // Naming the variable in use (or how to set one) points at the proxy only when one is used.
      return proxyVariable
        ? `hint: check the network, the proxy in ${proxyVariable} (or bypass it with ${ENV.noProxy}) and --region, or set ${ENDPOINT_FLAGS[failure.service]}`
        : `hint: check the network and --region, set ${ENV.httpsProxy} if a proxy is needed, or set ${ENDPOINT_FLAGS[failure.service]}`;
    default:
      return undefined;
  }
}

function paint(text: string, severity: ReturnType<typeof severityOf>): string {
  if (severity === "critical") return `\u001b[31m${text}\u001b[39m`;
  if (severity === "warning") return `\u001b[33m${text}\u001b[39m`;
  return text;
}
