// The two kinds of credentials, the rules every credential must follow, and how one attempt of a
// request is authenticated with them: an IAM token header, or an AK/SK signature. The rules live
// here once: the client checks static credentials at createClient and a provider's each time it
// answers (src/auth/cache.ts), the public signer (src/auth/signer.ts) on every call, so a client
// that was created never fails later because of credentials it accepted.
import { InvalidParameterError } from "../errors.js";
import { canSign } from "./crypto.js";
import { signatureFor } from "./signing.js";

/** An IAM user token: the `X-Subject-Token` that IAM's "Obtaining a User Token" API returns. */
export interface TokenCredentials {
  /** The token, sent as `X-Auth-Token`. */
  token: string;
}

/** An access key pair, used to sign every request (SDK-HMAC-SHA256). */
export interface AccessKeyCredentials {
  /** Access key ID (AK). */
  accessKey: string;
  /** Secret access key (SK). Never sent, only used to sign. */
  secretKey: string;
  /** Security token of temporary credentials, sent as `X-Security-Token`. */
  securityToken?: string | undefined;
}

/** Either credential kind. */
export type Credentials = TokenCredentials | AccessKeyCredentials;

/** Credentials as a provider returns them: a token or an access key pair, and what is known about them. */
export type ProvidedCredentials = Credentials & {
  /** When they stop working; the client gets new ones before then (temporary credentials). */
  expiresAt?: Date | undefined;
  /** The tenant (account, "domain") ID, from the profile's `[global] domain_id` or `HUAWEICLOUD_SDK_DOMAIN_ID`. */
  domainId?: string | undefined;
  /**
   * The IAM project ID of the region (`[basic] project_id` or `HUAWEICLOUD_SDK_PROJECT_ID`), sent
   * signed as `X-Project-Id` with an access key pair. Not the CodeArts `project_id` parameter.
   */
  projectId?: string | undefined;
  /** Where they came from (`environment`, `profile <path>`, `ECS metadata`): a place, never a value. */
  source?: string | undefined;
};

/** A source of credentials; the client calls it again before the ones it returned expire. */
export type CredentialsProvider = () => Promise<ProvidedCredentials>;

/** The credential fields, as named in `ClientOptions.credentials` and in `SignRequestInput`. */
export type CredentialField = "token" | "accessKey" | "secretKey" | "securityToken";

/** The headers to send a request with: its own (names in lower case) plus the credentials (a token, or a fresh signature). */
export type Authenticator = (request: { method: string; url: string; headers: Record<string, string> }) => HeadersInit | Promise<HeadersInit>;

/**
 * What is wrong with a credential, or `undefined` when it is usable; the answer never repeats
 * the value. Everything but the secret key goes into a header, so it must be printable ASCII:
 * fetch refuses NUL, line breaks and characters above U+00FF (with an error that may quote the
 * value), sends other control and Latin-1 characters as raw bytes that no gateway reads as
 * they were meant, and a space or a comma in the access key would change the meaning of the
 * Authorization header.
 */
export function credentialProblem(field: CredentialField, value: unknown): string | undefined {
  if (typeof value !== "string" || value === "") return "must be a non-empty string";
  // The secret key is only HMAC key material (as UTF-8); it is never sent.
  if (field === "secretKey") return undefined;
  if (!/^[\x21-\x7e]+$/.test(value)) return "must be printable ASCII, without spaces";
  if (field === "accessKey" && value.includes(",")) return "must not contain a comma";
  // The same bound as the mock server's (packages/mock/src/auth.ts): what goes out with every request stays sane.
  if (field === "token" && value.length > 100_000) return "must be at most 100000 characters long";
  return undefined;
}

/**
 * The authenticator for the credentials given; throws `InvalidParameterError` for unusable
 * ones. With an access key pair and an IAM project ID, `X-Project-Id` is signed like any header.
 */
export function createAuthenticator(credentials: Credentials & { projectId?: string | undefined }): Authenticator {
  if (!credentials || typeof credentials !== "object") {
    throw new InvalidParameterError("credentials", "pass { token } or { accessKey, secretKey }");
  }
  const { projectId } = credentials;
  if (projectId !== undefined && !(typeof projectId === "string" && /^[\x21-\x7e]+$/.test(projectId))) {
    throw new InvalidParameterError("credentials.projectId", "must be printable ASCII, without spaces");
  }
  if ("token" in credentials) {
    const { token } = credentials;
    requireUsable("token", token);
    // The same header on every attempt, so setting it on the request's own headers is safe.
    return ({ headers }) => {
      headers["x-auth-token"] = token;
      return headers;
    };
  }
  const { accessKey, secretKey, securityToken } = credentials;
  requireUsable("accessKey", accessKey);
  requireUsable("secretKey", secretKey);
  if (securityToken !== undefined) requireUsable("securityToken", securityToken);
  if (!canSign()) throw new InvalidParameterError("credentials", "AK/SK signing needs node:crypto or WebCrypto");
  // signatureFor returns new headers: the request's own never carry an earlier attempt's signature.
  return async ({ method, url, headers }) => {
    if (projectId !== undefined) headers["x-project-id"] = projectId;
    return (await signatureFor({ method, url, headers, body: null, accessKey, secretKey, securityToken })).headers;
  };
}

function requireUsable(field: CredentialField, value: unknown): void {
  const problem = credentialProblem(field, value);
  if (problem) throw new InvalidParameterError(`credentials.${field}`, problem);
}
