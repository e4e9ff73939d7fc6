/**
 * The signing itself, shared by the public `./signer` entry (src/signer.ts), which checks the
 * credentials first, and the client, which loads this module lazily through the package's
 * `./internal/sign` export and checked them once at `createClient`: so an AK/SK user's bundle
 * does not carry the credential rules twice. Not public API; it may change in any release.
 *
 * @internal
 * @module
 */
import {
  authorizationHeader,
  canonicalHeaders,
  canonicalQueryString,
  canonicalRequest,
  canonicalUri,
  EMPTY_BODY_SHA256,
  formatSdkDate,
  HEADER_CONTENT_SHA256,
  HEADER_SDK_DATE,
  HEADER_SECURITY_TOKEN,
  headersToSign,
  hmacSha256Hex,
  isValidSdkDate,
  normalizeMethod,
  resolveSubtle,
  sha256Hex,
  signedHeaders,
  stringToSign,
  UNSIGNED_PAYLOAD,
} from "./signing.js";


/** Request body types whose bytes can be hashed up front. */
export type SignableBody = string | Uint8Array | ArrayBuffer;

/** Everything needed to sign one HTTP request. */
export interface SignRequestInput {
  /** HTTP method; normalised the way `fetch` normalises it (upper-cased like fetch does for DELETE/GET/HEAD/OPTIONS/POST/PUT, any other token kept). */
  method: string;
  /** Absolute request URL exactly as it will be sent (path and query are signed, the fragment is not). */
  url: string | URL;
  /** Headers that will be sent; all of them are signed except `authorization` and names containing `_`. */
  headers?: Headers | Record<string, string> | undefined;
  /** Request body; omit (or pass null) for no body. Streams cannot be hashed: use `unsignedPayload`. */
  body?: SignableBody | null | undefined;
  /** Access key id (AK). */
  accessKey: string;
  /** Secret access key (SK). Only ever used as HMAC key material; never echoed in errors. */
  secretKey: string;
  /** Session token of temporary credentials; sent and signed as `X-Security-Token`. */
  securityToken?: string | undefined;
  /** Signing time; defaults to now. Must not contradict an `X-Sdk-Date` header supplied in `headers`. */
  date?: Date | undefined;
  /** Sign `X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD` instead of the body hash. */
  unsignedPayload?: boolean | undefined;
  /**
   * WebCrypto implementation to use instead of `globalThis.crypto.subtle`. Node 18 only
   * exposes that global behind `--experimental-global-webcrypto`; pass
   * `(await import("node:crypto")).webcrypto.subtle` there instead.
   */
  subtle?: SubtleCrypto | undefined;
}

/** Intermediate values of a signature computation, for debugging and tests. Contains no secret. */
export interface SignatureDetails {
  /** Headers to send: the input headers plus X-Sdk-Date, Authorization and, if applicable, X-Security-Token / X-Sdk-Content-Sha256. */
  headers: Headers;
  /** The canonical request that was hashed. */
  canonicalRequest: string;
  /** The string that was HMAC'd with the secret key. */
  stringToSign: string;
  /** Lower-case, `;`-joined names of the signed headers. */
  signedHeaders: string;
  /** Hex HMAC-SHA256 signature. */
  signature: string;
  /** Value of the Authorization header. */
  authorization: string;
}

/**
 * `computeSignature` without its check of the credentials: for the client, whose credentials
 * were checked once at `createClient` by the same rules (src/internal/credentials.ts).
 *
 * @internal
 */
export async function computeSignatureUnchecked(input: SignRequestInput): Promise<SignatureDetails> {
  const subtle = resolveSubtle(input.subtle);
  const method = normalizeMethod(input.method);
  const url = toUrl(input.url);
  const headers = copyHeaders(input.headers);

  const sdkDate = resolveSdkDate(headers, input.date);
  headers.set(HEADER_SDK_DATE, sdkDate);

  if (input.securityToken !== undefined) headers.set(HEADER_SECURITY_TOKEN, input.securityToken);

  if (input.unsignedPayload === true) {
    const existing = headers.get(HEADER_CONTENT_SHA256);
    if (existing !== null && existing !== UNSIGNED_PAYLOAD) {
      throw new TypeError(`unsignedPayload conflicts with the ${HEADER_CONTENT_SHA256} header that was supplied`);
    }
    headers.set(HEADER_CONTENT_SHA256, UNSIGNED_PAYLOAD);
  }
  // Every SDK lets a supplied X-Sdk-Content-Sha256 override the body hash; the header
  // itself stays in the signed set, so it cannot be altered in transit.
  // An empty value counts as absent, as in the Python and Node SDKs (truthiness checks).
  const suppliedHash = headers.get(HEADER_CONTENT_SHA256);
  const payloadHash = suppliedHash !== null && suppliedHash !== "" ? suppliedHash : await hashBody(input.body, subtle);

  const toSign = headersToSign(headers, url);
  const signedHeaderList = signedHeaders(toSign);
  const request = canonicalRequest({
    method,
    canonicalUri: canonicalUri(url.pathname),
    canonicalQueryString: canonicalQueryString(url.search),
    canonicalHeaders: canonicalHeaders(toSign),
    signedHeaders: signedHeaderList,
    payloadHash,
  });
  const sts = stringToSign(sdkDate, await sha256Hex(request, subtle));
  const signature = await hmacSha256Hex(input.secretKey, sts, subtle);
  const authorization = authorizationHeader(input.accessKey, signedHeaderList, signature);
  headers.set("Authorization", authorization);

  return { headers, canonicalRequest: request, stringToSign: sts, signedHeaders: signedHeaderList, signature, authorization };
}

/**
 * `signRequest` for the client, without the credential check it already made (see
 * `computeSignatureUnchecked`).
 *
 * @internal
 */
export async function signPrechecked(input: SignRequestInput): Promise<Headers> {
  return (await computeSignatureUnchecked(input)).headers;
}

function resolveSdkDate(headers: Headers, date: Date | undefined): string {
  const supplied = headers.get(HEADER_SDK_DATE);
  if (supplied !== null && !isValidSdkDate(supplied)) {
    throw new TypeError(`${HEADER_SDK_DATE} header must have the form YYYYMMDDTHHMMSSZ`);
  }
  if (date === undefined) return supplied ?? formatSdkDate(new Date());
  const formatted = formatSdkDate(date);
  if (supplied !== null && supplied !== formatted) {
    throw new TypeError(`${HEADER_SDK_DATE} header contradicts the date option`);
  }
  return formatted;
}

async function hashBody(body: SignableBody | null | undefined, subtle: SubtleCrypto): Promise<string> {
  if (body === undefined || body === null) return EMPTY_BODY_SHA256;
  if (typeof body === "string" || body instanceof Uint8Array || body instanceof ArrayBuffer) {
    return sha256Hex(body, subtle);
  }
  throw new TypeError("body must be a string, Uint8Array or ArrayBuffer; sign streams with unsignedPayload");
}

function toUrl(url: string | URL): URL {
  if (url instanceof URL) return url;
  if (typeof url !== "string") throw new TypeError("url must be a string or URL");
  // The URL constructor already rejects relative or malformed input; the wrapper only
  // gives the error a predictable message for callers that log it.
  try {
    return new URL(url);
  } catch (cause) {
    throw new TypeError("url must be an absolute URL", { cause });
  }
}

function copyHeaders(headers: Headers | Record<string, string> | undefined): Headers {
  // new Headers() validates names/values and strips leading/trailing HTTP whitespace,
  // giving Record input the same normalisation fetch applies on the wire.
  return new Headers(headers ?? {});
}
