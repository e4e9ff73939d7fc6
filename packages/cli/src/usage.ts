// The help texts of the report and the exporter. Every variable is named by the module that owns
// it: the client's (credentials, region, tenant, endpoint overrides), the terminal's, the proxy's.
import { ENV_VARIABLES, SERVICE_NAMES, SERVICES } from "@codearts-package-status/client";
import { DEFAULT_CRITICAL_DAYS, DEFAULT_WARN_DAYS, EXIT } from "./exit-codes.js";
import { ENDPOINT_FLAGS, ID_RULES } from "./generated/tables.js";
import { PROXY_VARIABLES } from "./proxy.js";
import { TERMINAL_VARIABLES } from "./terminal.js";

/** The command's name, as every message starts. */
export const PROGRAM = "codearts-package-status";

/** The variable the CodeArts project ID is read from (not the IAM project ID of `HUAWEICLOUD_SDK_PROJECT_ID`). */
export const PROJECT_VARIABLE = "CODEARTS_PROJECT_ID";

/** Defaults of the exporter's own flags. */
export const EXPORTER_DEFAULTS = { listen: "127.0.0.1:9842", cacheSeconds: 300, maxTargets: 1000, maxConcurrent: 4, maxSeries: 10_000, scrapeTimeoutSeconds: 55 } as const;

const ENV = ENV_VARIABLES;

// Option names and their help lines share one column for the descriptions.
const option = (flag: string, description: string): string => `  ${flag.padEnd(23)}  ${description}`;

/** `--help` of the report. */
export const USAGE = `Usage: ${PROGRAM} --region REGION [options]
       ${PROGRAM} --mock [options]
       ${PROGRAM} exporter [--listen HOST:PORT] [options]   Prometheus metrics (see exporter --help)

Reports the tenant's CodeArts packages (Artifact, Check, Pipeline): status, days left, next
action and renewal link, soonest expiry first.

  --region REGION[,…]      region ID, e.g. cn-north-4; several give one report (env ${ENV.region})
  --project-id ID          ${ID_RULES.projectId.maxLength}-character CodeArts project ID; optional (env ${PROJECT_VARIABLE})
  --tenant-id ID           ${ID_RULES.tenantId.maxLength}-character tenant (domain) ID; optional, else asked of IAM (env ${ENV.domainId})
  --json                   print JSON instead of a table
  --wide                   add the RENEWAL LINK column to the table
  --nagios                 print one Nagios plugin status line with perfdata instead
  --warn-days N            WARNING (exit 1) when a package expires within N days (default ${DEFAULT_WARN_DAYS})
  --critical-days N        CRITICAL (exit 2) within N days (default ${DEFAULT_CRITICAL_DAYS}, at most --warn-days)
  --mock                   ask the embedded mock server (documented examples) instead
  --verbose                say on stderr where the credentials, the tenant ID and each endpoint came from (never a value)
  --timeout-ms N           timeout of each request attempt (default 30000, at most 2147483647)
${SERVICES.map((service) => option(`${ENDPOINT_FLAGS[service]} URL`, `base URL of ${SERVICE_NAMES[service]} instead of the region's`)).join("\n")}
  -h, --help               show this help
  -v, --version            show the version

Credentials, the first found of (values are never printed):
  1. --access-key AK --secret-key SK [--security-token T] | --token T
  2. ${ENV.accessKey} + ${ENV.secretKey} [+ ${ENV.securityToken}] (access key pair),
     else ${ENV.token} (IAM token)
  3. the profile file ${ENV.credentialsFile}, else ~/.huaweicloud/credentials
     ([basic] or [global]: ak, sk, security_token; [basic] project_id; [global] domain_id)
  4. the ECS agency's temporary keys from the ECS metadata service (on an ECS; gives up within
     a second elsewhere): ${ENV.ecsMetadataEndpoint}=URL asks another one,
     ${ENV.ecsMetadataDisabled}=true skips it
  ${ENV.projectId}: the IAM project ID of the region, sent signed as X-Project-Id
  with an access key pair (not the CodeArts project ID of --project-id)

Table: columns SERVICE, RESOURCE, SPEC CODE, STATUS, DAYS LEFT, NEXT ACTION (RENEWAL LINK with
--wide); on a terminal long values are cut to its width with "…", to a pipe or file never.
Color only on a terminal; ${TERMINAL_VARIABLES.noColor} (wins), ${TERMINAL_VARIABLES.forceColor}=0|1-3 and ${TERMINAL_VARIABLES.term}=dumb are honoured.

Proxy (either case; the lower-case one wins when both are set):
  ${PROXY_VARIABLES.httpsProxy}, ${PROXY_VARIABLES.httpProxy}, ${PROXY_VARIABLES.noProxy}   like curl: http://[user:password@]host:port; --mock is never proxied

Exit codes (the Nagios plugin convention):
  ${EXIT.ok}  OK        every service answered, no package expires within --warn-days
  ${EXIT.warning}  WARNING   a package expires within --warn-days
  ${EXIT.critical}  CRITICAL  a package expires within --critical-days, has expired, or is in a status
             past expiry (deleted, retention or grace period, frozen, closed)
  ${EXIT.unknown}  UNKNOWN   bad usage, no credentials, a service could not be asked or sent an answer
             of another shape than the spec's, or a package is in a status the spec
             does not list (unless CRITICAL)`;

/** `exporter --help`. */
export const EXPORTER_USAGE = `Usage: ${PROGRAM} exporter [--listen HOST:PORT] [--cache-seconds N] [--max-targets N] [--max-concurrent N]
       [--max-series N] [--web-config FILE] [target and credential options]

Serves the packages as Prometheus metrics: /metrics (the target the options name, and the
exporter's own metrics) and /probe?region=&project_id=&tenant_id= (any target). Prints its URL
when ready; stops on SIGTERM or SIGINT.

  --listen HOST:PORT       where to listen (default ${EXPORTER_DEFAULTS.listen}; port 0 picks a free one;
                           :PORT listens on every interface)
  --cache-seconds N        ask each target at most once per N seconds (default ${EXPORTER_DEFAULTS.cacheSeconds})
  --max-targets N          keep at most N targets' answers, the least recently scraped dropped first
                           (default ${EXPORTER_DEFAULTS.maxTargets}); it bounds memory, not work
  --max-concurrent N       collect at most N targets at once, over /metrics and every /probe; the
                           others wait their turn (default ${EXPORTER_DEFAULTS.maxConcurrent})
  --max-series N           answer at most N package series per target, the soonest to expire
                           first; codearts_exporter_series_dropped_total counts the rest
                           (default ${EXPORTER_DEFAULTS.maxSeries})
  --web-config FILE        TLS, client certificates and basic auth from exporter-toolkit's
                           web-config.yml, as node_exporter reads it; basic auth applies to every
                           path, /-/healthy and /-/ready included
  --region, --project-id, --tenant-id, --mock, --timeout-ms, --endpoint-*, credentials and
  proxies: as for the report (see ${PROGRAM} --help)

Exit codes: ${EXIT.ok} stopped by SIGTERM or SIGINT, ${EXIT.unknown} bad usage, a --web-config it cannot use,
or cannot listen.`;
