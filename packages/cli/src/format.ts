// Plain-text rendering: aligned columns that survive `grep`, `cut` and cron mail, with color
// only for a person at a terminal.
import { ENV_VARIABLES, SERVICE_NAMES } from "@codearts-package-status/client";
import { escapeText } from "./escape.js";
import { PROXY_VARIABLES } from "./proxy.js";
import { ENDPOINT_FLAGS } from "./generated/tables.js";
import type { PackageRow, ServiceFailure } from "./report.js";
import { severityOf, type Thresholds } from "./severity.js";
import { cutToWidth, displayWidth } from "./width.js";

/** Options of {@link renderTable}. */
export interface TableOptions {
  /** Color the days left (red when critical, yellow when a warning); only for a terminal. */
  color?: boolean | undefined;
  /** `--warn-days` and `--critical-days` for the colors; default 30 and 7. */
  thresholds?: Thresholds | undefined;
  /** Add the RENEWAL LINK column (`--wide`). */
  wide?: boolean | undefined;
  /** Add the REGION column first (several regions asked). */
  region?: boolean | undefined;
  /**
   * Fit the table into this many terminal columns by cutting the longest texts, each cut shown
   * with `…`; undefined (output to a pipe or file) prints every value whole.
   */
  width?: number | undefined;
}

/** Every column the table can have, in order; {@link columnsOf} picks the ones printed. */
export const COLUMNS = ["REGION", "SERVICE", "RESOURCE", "SPEC CODE", "STATUS", "DAYS LEFT", "NEXT ACTION", "RENEWAL LINK"] as const;

/** One column header of the table. */
export type Column = (typeof COLUMNS)[number];

// An empty cell would break `awk`-style splitting on runs of spaces, so absent values print as "-".
const NONE = "-";
// Two spaces between columns: cell values contain single spaces ("in effect").
const GAP = "  ";
// What a cut cell ends with: one character, so the cut is visible and the width exact.
const ELLIPSIS = "\u2026";

const CELL: Readonly<Record<Column, (row: PackageRow) => unknown>> = {
  REGION: (row) => row.region ?? NONE,
  SERVICE: (row) => SERVICE_NAMES[row.service],
  RESOURCE: (row) => row.resource,
  "SPEC CODE": (row) => row.specCode ?? NONE,
  STATUS: (row) => row.status,
  "DAYS LEFT": (row) => (row.daysLeft === null ? NONE : row.daysLeft),
  "NEXT ACTION": (row) => row.nextAction ?? NONE,
  "RENEWAL LINK": (row) => row.renewalUrl ?? NONE,
};

// The columns whose texts may be cut to fit a terminal, and the narrowest each is cut to: never
// narrower than its header. SERVICE and DAYS LEFT are short and always whole; so is the renewal
// link, which a cut would make useless: it is the last column, so a long one wraps in its row.
const CUTTABLE: Partial<Record<Column, number>> = { RESOURCE: 12, "SPEC CODE": 12, STATUS: 9, "NEXT ACTION": 11 };

/** The columns printed with these options: the region only for several regions, the renewal link only with `wide`, as `kubectl -o wide` adds columns. */
export function columnsOf(options: Pick<TableOptions, "wide" | "region"> = {}): Column[] {
  return COLUMNS.filter((column) => (column !== "RENEWAL LINK" || options.wide === true) && (column !== "REGION" || options.region === true));
}

/** The cells of a row as the table prints them, in `columns` order: what the service sent, escaped by {@link escapeText}. */
export function cellsOf(row: PackageRow, columns: readonly Column[] = COLUMNS): string[] {
  // String(): without response validation a hostile service can send any JSON value here. An
  // empty or blank text prints as "-" too, or the line would have a column fewer for awk.
  return columns.map((column) => {
    const text = escapeText(String(CELL[column](row)));
    return text.trim() === "" ? NONE : text;
  });
}

/** Renders the rows as an aligned table with a header line; every line ends with a newline. */
export function renderTable(rows: readonly PackageRow[], options: TableOptions = {}): string {
  const columns = columnsOf(options);
  const lines = [[...columns] as string[], ...rows.map((row) => cellsOf(row, columns))];
  // A loop, not Math.max(...column): spreading hundreds of thousands of rows as arguments
  // overflows the stack. The widths are terminal cells of the escaped text, which is what is
  // printed: a CJK name takes two cells a character (src/width.ts).
  const natural = columns.map(() => 0);
  const cellWidths = lines.map((cells) => cells.map(displayWidth));
  for (const widths of cellWidths) widths.forEach((width, column) => (natural[column] = Math.max(natural[column] ?? 0, width)));
  const widths = options.width === undefined ? natural : fitWidths(columns, natural, options.width);
  const daysColumn = columns.indexOf("DAYS LEFT");
  return lines
    .map((cells, line) =>
      cells
        .map((cell, column) => {
          const width = widths[column] ?? 0;
          const natural = cellWidths[line]![column]!;
          const text = natural > width ? cutToWidth(cell, width, ELLIPSIS) : cell;
          // The last column is not padded, so lines carry no trailing spaces.
          const padded = column === cells.length - 1 ? text : text + " ".repeat(width - (text === cell ? natural : displayWidth(text)));
          const row = line > 0 ? rows[line - 1] : undefined;
          return options.color && row && column === daysColumn ? paint(padded, severityOf(row, options.thresholds)) : padded;
        })
        .join(GAP),
    )
    .map((text) => `${text}\n`)
    .join("");
}

/**
 * Column widths, in terminal cells, that fit `available` terminal columns: the widest cuttable
 * column loses one cell at a time until the line fits or every cuttable column is at its
 * narrowest (then the terminal wraps, as it would anyway). Columns that fit are left alone.
 */
export function fitWidths(columns: readonly Column[], natural: readonly number[], available: number): number[] {
  const widths = [...natural];
  const lineWidth = () => widths.reduce((sum, width) => sum + width, 0) + GAP.length * (widths.length - 1);
  const floor = columns.map((column) => Math.max(column.length, CUTTABLE[column] ?? Infinity));
  for (let excess = lineWidth() - available; excess > 0; excess--) {
    let widest = -1;
    widths.forEach((width, i) => {
      if (width > (floor[i] as number) && (widest < 0 || width > (widths[widest] as number))) widest = i;
    });
    if (widest < 0) break;
    widths[widest] = (widths[widest] as number) - 1;
  }
  return widths;
}

/**
 * The credentials in use, which decide the hint after an authentication failure: their kind when
 * they came from the flags or the variables, else where they came from (a `profile <path>`,
 * `ECS metadata`, any other source of the client's chain), so the hint points there.
 */
export type CredentialKind = "token" | "aksk" | { source: string };

/**
 * One stderr line for a failed service: the service, what went wrong, and what to try.
 * `proxyVariable` names the proxy variable the service's requests went through, if any.
 */
export function formatFailure(failure: ServiceFailure, credentialKind: CredentialKind, proxyVariable?: string, regionShown = false): string {
  const hint = hintFor(failure, credentialKind, proxyVariable);
  // The region only where it tells services apart: in a run over several regions.
  const where = regionShown && failure.region ? ` (${failure.region})` : "";
  return `${SERVICE_NAMES[failure.service]}${where}: ${failure.message}${hint ? `; ${hint}` : ""}`;
}

/** What to try after a failure of this kind, or undefined when there is nothing useful to say. */
export function hintFor(failure: ServiceFailure, credentialKind: CredentialKind, proxyVariable?: string): string | undefined {
  switch (failure.kind) {
    case "authentication": {
      const source = typeof credentialKind === "object" ? credentialKind.source : "";
      if (source.startsWith("profile ")) return `hint: check ak and sk (and security_token for temporary credentials, which expire) in ${source.slice(8)}`;
      if (source === "ECS metadata") return "hint: the ECS agency's temporary keys were refused; check the agency bound to this ECS and that its project is the one asked";
      // A source of the client's chain this command has no words of its own for.
      if (source) return `hint: the credentials from ${source} were refused; check them there`;
      return credentialKind === "token"
        ? `hint: the IAM token may have expired (tokens last 24 hours) or belong to another account; get a new one and set ${ENV_VARIABLES.token}`
        : `hint: check ${ENV_VARIABLES.accessKey} and ${ENV_VARIABLES.secretKey} (and ${ENV_VARIABLES.securityToken} for temporary credentials, which expire)`;
    }
    case "permission":
      return "hint: the credentials are valid but not allowed to call this API; check the user's IAM permissions";
    case "connection":
    case "timeout":
      // Naming the variable in use (or how to set one) points at the proxy only when one is used.
      return proxyVariable
        ? `hint: check the network, the proxy in ${proxyVariable} (or bypass it with ${PROXY_VARIABLES.noProxy}) and --region, or set ${ENDPOINT_FLAGS[failure.service]}`
        : `hint: check the network and --region, set ${PROXY_VARIABLES.httpsProxy} if a proxy is needed, or set ${ENDPOINT_FLAGS[failure.service]}`;
    default:
      return undefined;
  }
}

function paint(text: string, severity: ReturnType<typeof severityOf>): string {
  if (severity === "critical") return `\u001b[31m${text}\u001b[39m`;
  if (severity === "warning" || severity === "unknown") return `\u001b[33m${text}\u001b[39m`;
  return text;
}
