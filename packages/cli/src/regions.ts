// Which regions the command (--region) and the exporter (/probe?region=) accept: those of the
// built-in table, and any other that an endpoint override names for a package service, read by
// the client's own reader of Huawei's conventions, so that what is accepted here is what the
// client then finds endpoints for (src/run.ts still stops a region none serves).
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { KNOWN_REGIONS, PACKAGE_SERVICES, SDK_SERVICE_NAMES } from "@codearts-package-status/client";
import { overrideVariable, parseRegionsFile, regionsFilePath } from "@codearts-package-status/client/internal/endpoints";

type Env = Readonly<Record<string, string | undefined>>;

// Huawei's region IDs: lower-case words and numbers joined by hyphens (cn-north-4, ap-southeast-1).
const REGION_ID = /^[a-z]+(-[a-z0-9]+)+$/;

/**
 * Whether a region (lower case) is in the built-in table, or a HUAWEICLOUD_SDK_REGION_* variable
 * or the regions file names a package service's endpoints in it. The file is read once, on the
 * first region the table lacks; one that cannot be read names nothing (the run reports it).
 */
export function regionCheck(env: Env): (region: string) => boolean {
  let file: ReturnType<typeof parseRegionsFile> | undefined;
  const entries = () => {
    if (file) return file;
    const where = regionsFilePath(env, homedir());
    try {
      file = where ? parseRegionsFile(readFileSync(where.path, "utf8")) : new Map();
    } catch {
      file = new Map();
    }
    return file;
  };
  return (region) =>
    KNOWN_REGIONS.includes(region) ||
    (REGION_ID.test(region) &&
      PACKAGE_SERVICES.some((service) => (env[overrideVariable(service, region)] ?? "").trim() !== "" || entries().get(SDK_SERVICE_NAMES[service])?.has(region) === true));
}
