// Credentials from the profile file Huawei's SDKs and tools write (~/.huaweicloud/credentials).
import { ENV_VARIABLES, homeDirectory, nodeModule, nonBlank, processEnv, type Env } from "../environment.js";
import { LocalFileError, readLocalFile, type LocalFile } from "../local-file.js";
import type { CredentialsProvider } from "./credentials.js";
import { withExtra } from "./env.js";
import { keyPair, noCredentials } from "./failure.js";

/** Options of `fromProfile`. */
export interface ProfileOptions {
  /** The credentials file; default `HUAWEICLOUD_SDK_CREDENTIALS_FILE`, else `~/.huaweicloud/credentials`. */
  file?: string | undefined;
  /** The environment that names the file and the home directory; default `process.env`, read at each call. */
  env?: Env | undefined;
  /**
   * Called with one line when the file can be read by other users (as ssh warns of a private
   * key), once per provider and file; the credentials are used all the same. Default: none, a
   * library prints nothing; the CLI writes it on stderr.
   */
  onWarning?: ((message: string) => void) | undefined;
}

/** One line of a profile file that is not INI, or repeats a section or key, by its number only: the line may hold a secret. */
export class IniSyntaxError extends Error {
  override name = "IniSyntaxError";
  constructor(
    readonly line: number,
    problem = "is not a [section], a key = value or a comment",
  ) {
    super(`line ${line} ${problem}`);
  }
}

// Names safe to repeat in a message: the ones Huawei's files use. Any other may be a value
// typed on the wrong line.
const KNOWN_NAMES = new Set(["basic", "global", "ak", "sk", "security_token", "project_id", "domain_id"]);

/**
 * Parses INI as Huawei's SDKs read their credentials file (Python's configparser, strict):
 * `[section]` headers, `key = value` or `key: value` (split at the first `=` or `:`, so a value
 * may contain either), whole-line comments starting with `#` or `;`, blank lines, CRLF or LF, a
 * byte order mark. Section and key names are case-insensitive (lower-cased); values are trimmed
 * and kept otherwise as written (no inline comments: a secret key may contain `#` or `;`). A
 * section or a key of a section given twice is an {@link IniSyntaxError} naming both lines, as
 * configparser's strict mode refuses it: merging two `[basic]` sections would pair the `ak` of
 * one with the `sk` of the other. Keys before any section go to `""`.
 */
export function parseIni(text: string): Record<string, Record<string, string>> {
  const sections: Record<string, Record<string, string>> = Object.create(null);
  const sectionLines = new Map<string, number>();
  let keyLines = new Map<string, number>();
  let section = (sections[""] = Object.create(null) as Record<string, string>);
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n|\r/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) return;
    const header = /^\[([^\]]*)\]$/.exec(line);
    if (header) {
      const name = (header[1] ?? "").trim().toLowerCase();
      const first = sectionLines.get(name);
      if (first !== undefined) throw new IniSyntaxError(index + 1, `repeats ${KNOWN_NAMES.has(name) ? `the section [${name}]` : "a section"} of line ${first}`);
      sectionLines.set(name, index + 1);
      keyLines = new Map();
      section = sections[name] = Object.create(null) as Record<string, string>;
      return;
    }
    const at = line.search(/[=:]/);
    const key = at > 0 ? line.slice(0, at).trim().toLowerCase() : "";
    if (key === "") throw new IniSyntaxError(index + 1);
    const first = keyLines.get(key);
    if (first !== undefined) throw new IniSyntaxError(index + 1, `repeats ${KNOWN_NAMES.has(key) ? `the key ${key}` : "a key"} of line ${first}`);
    keyLines.set(key, index + 1);
    section[key] = line.slice(at + 1).trim();
  });
  return sections;
}

/**
 * Credentials from the profile file (`[basic]` or `[global]` section): `file`, else
 * `HUAWEICLOUD_SDK_CREDENTIALS_FILE`, else `~/.huaweicloud/credentials`. `[basic]`'s keys (with
 * its `project_id`) when it has an `ak`, else `[global]`'s; `domain_id` from `[global]`. The file
 * must be a regular file of at most 1 MiB; anything else at its path (a FIFO, a device, a
 * directory) stops a chain at once, named.
 */
export function fromProfile(options: ProfileOptions = {}): CredentialsProvider {
  const warned = new Set<string>();
  return async () => {
    const env = options.env ?? processEnv();
    const home = await homeDirectory(env);
    const named = nonBlank(options.file) ?? nonBlank(env?.[ENV_VARIABLES.credentialsFile]);
    if (!(await nodeModule("node:fs/promises")) || (named === undefined && !home)) throw noCredentials(["profile (no file system here)"], false);
    const file = named ?? `${home}/.huaweicloud/credentials`;
    const source = `profile ${file}`;
    let read: LocalFile | undefined;
    try {
      read = await readLocalFile(file);
    } catch (error) {
      const code = error instanceof LocalFileError ? error.code : undefined;
      // A file someone named must exist; the default one is only looked for. Anything else at
      // either path is a mistake that stops a chain.
      if ((code === "ENOENT" || code === "ENOTDIR") && named === undefined) throw noCredentials([`${source} (no such file)`], false);
      throw noCredentials([`${source} (${error instanceof LocalFileError ? error.problem : "cannot be read"})`], true, error);
    }
    if (!read) throw noCredentials(["profile (no file system here)"], false);
    // Windows keeps no such bits: its files all look readable by everyone.
    if (read.mode & 0o044 && (globalThis as { process?: { platform?: string } }).process?.platform !== "win32" && !warned.has(file)) {
      warned.add(file);
      try {
        options.onWarning?.(`credentials file ${file} can be read by other users (mode ${read.mode.toString(8).padStart(3, "0")}): run chmod 600 on it`);
      } catch {
        // The caller's hook failing is no reason to fail the credentials.
      }
    }
    let ini: Record<string, Record<string, string>>;
    try {
      ini = parseIni(read.text);
    } catch (error) {
      throw noCredentials([`${source} (${(error as Error).message})`], true);
    }
    const basic = ini["basic"] ?? {};
    const global = ini["global"] ?? {};
    const [name, keys] = nonBlank(basic["ak"]) !== undefined || nonBlank(basic["sk"]) !== undefined ? ["basic", basic] : ["global", global];
    const ak = nonBlank(keys["ak"]);
    const sk = nonBlank(keys["sk"]);
    if (ak === undefined && sk === undefined) throw noCredentials([`${source} (no ak and sk in [basic] or [global])`], false);
    if (ak === undefined || sk === undefined) throw noCredentials([`${source} ([${name}] has ${ak === undefined ? "sk but no ak" : "ak but no sk"})`], true);
    return withExtra(keyPair(ak, sk, nonBlank(keys["security_token"])), {
      projectId: nonBlank(basic["project_id"]),
      domainId: nonBlank(global["domain_id"]),
      source,
    });
  };
}
