// The tenant (account domain) ID a CodeArts Pipeline call uses when it leaves `tenant_id` out.
import { InvalidParameterError } from "./errors.js";

/** Where the tenant ID may come from, most specific first. */
export interface TenantSources {
  /** The `tenantId` option, else `HUAWEICLOUD_SDK_DOMAIN_ID`. */
  given: string | undefined;
  /** The domain ID the credentials carry (a profile's `[global] domain_id`), if any. */
  domainId: () => Promise<unknown>;
  /** Asks IAM (`KeystoneListAuthDomains`) for the caller's accounts. */
  listAuthDomains: () => Promise<unknown>;
}

/**
 * The tenant ID: the one given, else the credentials' domain ID, else IAM's answer when it lists
 * exactly one enabled account. Worked out once however many calls wait for it; a failed lookup
 * is tried again on the next call.
 */
export function tenantResolver({ given, domainId, listAuthDomains }: TenantSources): () => Promise<string> {
  let tenant: Promise<string> | undefined;
  const discover = async (): Promise<string> => {
    const fromCredentials = await domainId();
    if (typeof fromCredentials === "string" && fromCredentials !== "") return fromCredentials;
    const body = await listAuthDomains();
    const domains = (body as { domains?: Array<{ id?: unknown; enabled?: unknown }> } | null)?.domains;
    const usable = Array.isArray(domains) ? domains.filter((d) => typeof d?.id === "string" && d.enabled !== false) : [];
    if (usable.length !== 1) {
      throw new InvalidParameterError(
        "tenant_id",
        `IAM (KeystoneListAuthDomains) returned ${usable.length} enabled accounts, so the tenant ID cannot be discovered: pass tenant_id or the tenantId option`,
      );
    }
    return usable[0]!.id as string;
  };
  return () => {
    if (given !== undefined) return Promise.resolve(given);
    return (tenant ??= discover().catch((error: unknown) => {
      tenant = undefined;
      throw error;
    }));
  };
}
