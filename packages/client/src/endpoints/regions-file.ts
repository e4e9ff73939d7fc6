// The regions file of Huawei's SDKs (~/.huaweicloud/regions.yaml): where it is, how it is read.
import { ENV_VARIABLES, homeDirectory, nodeModule, type Env } from "../environment.js";
import { InvalidParameterError } from "../errors.js";

/** A regions file's entries: per service name (upper case), per region, its endpoints. */
export type RegionsFile = Map<string, Map<string, string[]>>;

/**
 * The regions file `env` names (`HUAWEICLOUD_SDK_REGIONS_FILE`: it must be readable), else
 * `~/.huaweicloud/regions.yaml`, which is only looked for: undefined when there is none, or no
 * file system (a browser).
 */
export async function readRegionsFile(env: Env | undefined): Promise<{ path: string; entries: RegionsFile } | undefined> {
  const named = env?.[ENV_VARIABLES.regionsFile];
  const home = named ? undefined : await homeDirectory(env);
  const path = named || (home && `${home}/.huaweicloud/regions.yaml`);
  const fs = await nodeModule("node:fs/promises");
  if (!fs || !path) return undefined;
  let text: string;
  try {
    text = await fs.readFile(path, "utf8");
  } catch {
    // The default file is only looked for; a file someone named must be there.
    if (!named) return undefined;
    throw new InvalidParameterError(ENV_VARIABLES.regionsFile, `${path} cannot be read`);
  }
  return { path, entries: parseRegionsFile(text) };
}

/**
 * The entries of a regions file (YAML, as Huawei's SDKs read it): per service name (any case),
 * a list of `{ id, endpoint }` or `{ id, endpoints: [...] }`. Only that subset of YAML is read:
 * block mappings and sequences, flow sequences, plain and quoted scalars, comments.
 */
export function parseRegionsFile(text: string): RegionsFile {
  const result: RegionsFile = new Map();
  let service: Map<string, string[]> | undefined;
  let entry: { id?: string; urls: string[] } | undefined;
  let inList = false;
  const flush = () => {
    if (service && entry?.id !== undefined && entry.urls.length > 0) service.set(entry.id, entry.urls);
    entry = undefined;
  };
  for (const raw of text.split(/\r?\n/)) {
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
        if (item) entry.urls.push(scalar(item));
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
    else if (key === "endpoint" && value) entry.urls.push(scalar(value));
    else if (key === "endpoints") {
      inList = value === "";
      if (value.startsWith("[")) entry.urls.push(...value.replace(/^\[|\]$/g, "").split(",").map(scalar).filter(Boolean));
    }
  }
  flush();
  return result;
}

function scalar(text: string): string {
  const value = text.trim();
  if (/^'.*'$/.test(value)) return value.slice(1, -1).replaceAll("''", "'");
  if (/^".*"$/.test(value)) return JSON.parse(value) as string;
  return value;
}

