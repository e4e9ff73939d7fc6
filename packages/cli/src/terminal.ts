// Whether stdout gets color, and how wide the table may be: one decision, from the stream and
// the conventions people set in their environment.

/** What the output stream is, as far as it matters to the table. */
export interface OutputStream {
  /** True for a terminal. */
  isTTY?: boolean | undefined;
  /** A terminal's width in columns. */
  columns?: number | undefined;
}

/** How to print for this stream and environment. */
export interface Terminal {
  /** Use ANSI colors. */
  color: boolean;
  /** Fit the table into this many columns; undefined for a pipe or a file, which get every value whole. */
  width: number | undefined;
}

/** The variables that decide color: https://no-color.org's (wins), Node's and chalk's, and TERM=dumb (an editor's shell, a serial console). */
export const TERMINAL_VARIABLES = { noColor: "NO_COLOR", forceColor: "FORCE_COLOR", term: "TERM" } as const;

// A terminal that reports no width (some CI pseudo-terminals) is taken for the classic 80.
const DEFAULT_WIDTH = 80;

/**
 * Color when stdout is a terminal, unless: `NO_COLOR` is set to anything (https://no-color.org;
 * it wins over everything), `FORCE_COLOR` is `0` or `false` (off; any other value, `1` to `3`
 * or empty, turns color on even for a pipe, as Node and chalk read it), or `TERM` is `dumb`.
 */
export function colorFor(stream: OutputStream, env: Readonly<Record<string, string | undefined>>): boolean {
  if ((env[TERMINAL_VARIABLES.noColor] ?? "") !== "") return false;
  const force = env[TERMINAL_VARIABLES.forceColor];
  if (force !== undefined) return force !== "0" && force.toLowerCase() !== "false";
  if (stream.isTTY !== true) return false;
  return env[TERMINAL_VARIABLES.term] !== "dumb";
}

/** The color and width decision for `stream`. */
export function terminalFor(stream: OutputStream, env: Readonly<Record<string, string | undefined>>): Terminal {
  const width = stream.isTTY === true ? (stream.columns !== undefined && stream.columns > 0 ? stream.columns : DEFAULT_WIDTH) : undefined;
  return { color: colorFor(stream, env), width };
}
