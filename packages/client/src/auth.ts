// Authenticates each attempt of a request: an IAM token header, or an AK/SK signature. It runs
// in the transport, after every middleware, so the signature covers the request exactly as it
// is sent (host included) and each retry is signed afresh.
import { InvalidParameterError, SignerLoadError } from "./errors.js";
import { credentialProblem, type CredentialField } from "./internal/credentials.js";
import { lazily } from "./internal/lazy.js";

// Loaded on the first signed request only: token users never load (or bundle) the signing code.
// The build turns this into an import of the package's own `./internal/sign` export, which
// skips the credential check that createAuthenticator already made (src/internal/sign.ts).
const loadSigning = lazily(
  () => import("./internal/sign.js"),
  (cause) => new SignerLoadError("The AK/SK signer could not be loaded", { cause }),
);

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

/** The headers to send a request with: its own (names in lower case) plus the credentials (a token, or a fresh signature). */
export type Authenticator = (request: { method: string; url: string; headers: Record<string, string> }) => HeadersInit | Promise<HeadersInit>;

/** The authenticator for the credentials given; throws `InvalidParameterError` for unusable ones. */
export function createAuthenticator(credentials: Credentials): Authenticator {
  if (!credentials || typeof credentials !== "object") {
    throw new InvalidParameterError("credentials", "pass { token } or { accessKey, secretKey }");
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
  if (!globalThis.crypto?.subtle) {
    // Node 18 has WebCrypto only behind a flag (SIGNING.md says which); every other supported
    // runtime has it. The message stays short: every user's bundle carries it.
    throw new InvalidParameterError("credentials", "AK/SK signing needs WebCrypto");
  }
  // signRequest returns new headers: the request's own never carry an earlier attempt's signature.
  return async ({ method, url, headers }) => {
    const { signPrechecked } = await loadSigning();
    return signPrechecked({ method, url, headers, body: null, accessKey, secretKey, securityToken });
  };
}

// The signer's own rules (src/internal/credentials.ts), checked here once so that every call of
// an accepted client can be signed and sent.
function requireUsable(field: CredentialField, value: unknown): void {
  const problem = credentialProblem(field, value);
  if (problem) throw new InvalidParameterError(`credentials.${field}`, problem);
}
