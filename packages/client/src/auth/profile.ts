// Credentials from the profile file Huawei's SDKs and tools write (~/.huaweicloud/credentials).
import { ENV_VARIABLES, homeDirectory, nodeModule, nonBlank, processEnv, type Env } from "../environment.js";
import type { CredentialsProvider } from "./credentials.js";
import { withExtra } from "./env.js";
import { keyPair, noCredentials } from "./failure.js";

/** Options of `fromProfile`. */
export interface ProfileOptions {
  /** The credentials file; default `HUAWEICLOUD_SDK_CREDENTIALS_FILE`, else `~/.huaweicloud/credentials`. */
  file?: string | undefined;
  /** The environment that names the file and the home directory; default `process.env`, read at each call. */
  env?: Env | undefined;
}

/** One line of a profile file that is not INI, by its number only: the line may hold a secret. */
export class IniSyntaxError extends Error {
  override name = "IniSyntaxError";
  constructor(readonly line: number) {
    super(`line ${line} is not a [section], a key = value or a comment`);
  }
}

/**
 * Parses INI as Huawei's SDKs read their credentials file (Python's configparser): `[section]`
 * headers, `key = value` or `key: value` (split at the first `=` or `:`, so a value may contain
 * either), whole-line comments starting with `#` or `;`, blank lines, CRLF or LF, a byte order
 * mark. Section and key names are case-insensitive (lower-cased); values are trimmed and kept
 * otherwise as written (no inline comments: a secret key may contain `#` or `;`). A later key
 * or section of the same name wins. Keys before any section go to `""`.
 */
export function parseIni(text: string): Record<string, Record<string, string>> {
  const sections: Record<string, Record<string, string>> = Object.create(null);
  let section = (sections[""] = Object.create(null) as Record<string, string>);
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n|\r/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) return;
    const header = /^\[([^\]]*)\]$/.exec(line);
    if (header) {
      const name = (header[1] ?? "").trim().toLowerCase();
      section = sections[name] ??= Object.create(null) as Record<string, string>;
      return;
    }
    const at = line.search(/[=:]/);
    const key = at > 0 ? line.slice(0, at).trim().toLowerCase() : "";
    if (key === "") throw new IniSyntaxError(index + 1);
    section[key] = line.slice(at + 1).trim();
  });
  return sections;
}

/**
 * Credentials from the profile file (`[basic]` or `[global]` section): `file`, else
 * `HUAWEICLOUD_SDK_CREDENTIALS_FILE`, else `~/.huaweicloud/credentials`. `[basic]`'s keys (with
 * its `project_id`) when it has an `ak`, else `[global]`'s; `domain_id` from `[global]`.
 */
export function fromProfile(options: ProfileOptions = {}): CredentialsProvider {
  return async () => {
    const env = options.env ?? processEnv();
    const fs = await nodeModule("node:fs/promises");
    const home = await homeDirectory(env);
    const named = nonBlank(options.file) ?? nonBlank(env?.[ENV_VARIABLES.credentialsFile]);
    if (!fs || (named === undefined && !home)) throw noCredentials(["profile (no file system here)"], false);
    const file = named ?? `${home}/.huaweicloud/credentials`;
    const source = `profile ${file}`;
    let text: string;
    try {
      text = await fs.readFile(file, "utf8");
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      // A file someone named must exist; the default one is only looked for.
      if (code === "ENOENT" && named === undefined) throw noCredentials([`${source} (no such file)`], false);
      throw noCredentials([`${source} (cannot be read: ${typeof code === "string" ? code : "error"})`], true, error);
    }
    let ini: Record<string, Record<string, string>>;
    try {
      ini = parseIni(text);
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
