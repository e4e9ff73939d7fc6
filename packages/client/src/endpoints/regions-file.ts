// The regions file of Huawei's SDKs (~/.huaweicloud/regions.yaml): where it is, how it is read.
import { ENV_VARIABLES, homeDirectory, type Env } from "../environment.js";
import { InvalidParameterError } from "../errors.js";
import { readLocalFile, LocalFileError, type LocalFile } from "../local-file.js";

/** One endpoint a regions file names, with the line it is on (errors name the line, never the value). */
export interface RegionsFileEndpoint {
  url: string;
  line: number;
}

/** A regions file's entries: per service name (upper case), per region, its endpoints. */
export type RegionsFile = Map<string, Map<string, RegionsFileEndpoint[]>>;

/** A line of a regions file this reader cannot read, by its number only: the line may hold a password. */
export class RegionsFileSyntaxError extends Error {
  override name = "RegionsFileSyntaxError";
  constructor(
    readonly line: number,
    problem: string,
  ) {
    super(`line ${line}: ${problem}`);
  }
}

/**
 * The regions file `env` names (`HUAWEICLOUD_SDK_REGIONS_FILE`: it must be there), else
 * `~/.huaweicloud/regions.yaml`, which is only looked for: undefined when there is none, or no
 * file system (a browser). Either must be a regular file of at most 1 MiB that parses: anything
 * else rejects at once with an `InvalidParameterError` that names the variable (`parameter`) and
 * the file, and the line of a parse error.
 */
export async function readRegionsFile(env: Env | undefined): Promise<{ path: string; parameter: string; entries: RegionsFile } | undefined> {
  const named = env?.[ENV_VARIABLES.regionsFile];
  const home = named ? undefined : await homeDirectory(env);
  const path = named || (home && `${home}/.huaweicloud/regions.yaml`);
  if (!path) return undefined;
  const parameter = named ? ENV_VARIABLES.regionsFile : "regions file";
  let file: LocalFile | undefined;
  try {
    file = await readLocalFile(path);
  } catch (error) {
    // The default file is only looked for; a file someone named must be there. Anything else at
    // either path (a FIFO, a directory, a file too large) is a mistake to report, not to skip.
    if (!named && error instanceof LocalFileError && (error.code === "ENOENT" || error.code === "ENOTDIR")) return undefined;
    throw new InvalidParameterError(parameter, `${path} ${error instanceof LocalFileError ? error.problem : "cannot be read"}`);
  }
  if (!file) return undefined;
  try {
    return { path, parameter, entries: parseRegionsFile(file.text) };
  } catch (error) {
    if (error instanceof RegionsFileSyntaxError) throw new InvalidParameterError(parameter, `${path} ${error.message}`);
    throw error;
  }
}

/**
 * The entries of a regions file (YAML, as Huawei's SDKs read it): per service name (any case),
 * a list of `{ id, endpoint }` or `{ id, endpoints: [...] }`. Only that subset of YAML is read:
 * block mappings and sequences, flow sequences, plain and quoted scalars (YAML's escapes in
 * double quotes), comments. Throws a {@link RegionsFileSyntaxError} for a quoted value it cannot
 * read.
 */
export function parseRegionsFile(text: string): RegionsFile {
  const result: RegionsFile = new Map();
  let service: Map<string, RegionsFileEndpoint[]> | undefined;
  let entry: { id?: string; urls: RegionsFileEndpoint[] } | undefined;
  let inList = false;
  const flush = () => {
    if (service && entry?.id !== undefined && entry.urls.length > 0) service.set(entry.id, entry.urls);
    entry = undefined;
  };
  const lines = text.split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    const number = index + 1;
    const scalar = (value: string) => scalarOf(value, number);
    const line = raw.replace(/(^|\s)#.*$/, "").trimEnd();
    if (line.trim() === "" || line.trim() === "---") continue;
    const indent = line.length - line.trimStart().length;
    let body = line.trim();
    if (indent === 0) {
      flush();
      const name = /^([^:]+):\s*$/.exec(body)?.[1];
      service = name === undefined ? undefined : new Map();
      if (name !== undefined) result.set(scalar(name).toUpperCase(), service!);
      inList = false;
      continue;
    }
    if (!service) continue;
    if (body.startsWith("- ") || body === "-") {
      const item = body.slice(1).trim();
      if (inList && entry && !/^[\w-]+\s*:(\s|$)/.test(item)) {
        if (item) entry.urls.push({ url: scalar(item), line: number });
        continue;
      }
      flush();
      entry = { urls: [] };
      inList = false;
      body = item;
      if (!body) continue;
    }
    if (!entry) continue;
    const pair = /^([\w-]+)\s*:\s*(.*)$/.exec(body);
    if (!pair) continue;
    const [, key, value = ""] = pair;
    if (key === "id") entry.id = scalar(value);
    else if (key === "endpoint" && value) entry.urls.push({ url: scalar(value), line: number });
    else if (key === "endpoints") {
      inList = value === "";
      if (value.startsWith("[")) {
        const items = value.replace(/^\[|\]$/g, "").split(",").map(scalar).filter(Boolean);
        entry.urls.push(...items.map((url) => ({ url, line: number })));
      }
    }
  }
  flush();
  return result;
}

// YAML's escapes in a double-quoted scalar (YAML 1.2, 5.7), each to the text it stands for.
const ESCAPES: Record<string, string> = { "0": "\0", a: "\x07", b: "\b", t: "\t", "\t": "\t", n: "\n", v: "\v", f: "\f", r: "\r", e: "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", N: "\x85", _: "\xa0", L: "\u2028", P: "\u2029" };
const HEX_DIGITS: Record<string, number> = { x: 2, u: 4, U: 8 };

function scalarOf(text: string, line: number): string {
  const value = text.trim();
  if (/^'.*'$/.test(value)) return value.slice(1, -1).replaceAll("''", "'");
  if (!/^".*"$/.test(value)) return value;
  return value.slice(1, -1).replace(/\\(?:([xuU])([0-9A-Fa-f]*)|(.?))/g, (_, hex: string | undefined, digits: string, other: string) => {
    if (hex) {
      const length = HEX_DIGITS[hex]!;
      const code = digits.length >= length ? Number.parseInt(digits.slice(0, length), 16) : NaN;
      if (!(code <= 0x10ffff)) throw new RegionsFileSyntaxError(line, "a double-quoted value has an escape YAML does not define");
      return String.fromCodePoint(code) + digits.slice(length);
    }
    const escaped = ESCAPES[other];
    if (escaped === undefined) throw new RegionsFileSyntaxError(line, "a double-quoted value has an escape YAML does not define");
    return escaped;
  });
}
