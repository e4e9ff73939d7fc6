// SDK-HMAC-SHA256 signing: the canonical request, the string to sign, the encodings, and
// `computeSignature`, which puts them together. The client signs every attempt with it (through
// src/auth/credentials.ts, which checked the credentials once); the public `./signer` entry
// (src/auth/signer.ts) checks them on every call and re-exports what users need. The building
// blocks are exported for the tests that pin each rule. SIGNING.md (next to this package's
// package.json) states each rule and where Huawei's SDKs differ.
import { hmacSha256Hex, sha256Hex } from "./crypto.js";

/** Algorithm name used in the string to sign and in the Authorization header. */
export const ALGORITHM = "SDK-HMAC-SHA256";

/** Header carrying the signing timestamp (`YYYYMMDDTHHMMSSZ`, UTC). */
export const HEADER_SDK_DATE = "X-Sdk-Date";

/** Header whose value, when present, replaces the body hash in the canonical request. */
export const HEADER_CONTENT_SHA256 = "X-Sdk-Content-Sha256";

/** Header carrying the session token of temporary (STS) credentials. */
export const HEADER_SECURITY_TOKEN = "X-Security-Token";

/** Value of {@link HEADER_CONTENT_SHA256} that tells the gateway not to verify the body. */
export const UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";

/** Hex SHA-256 of the empty byte string, the payload hash of a request without a body. */
export const EMPTY_BODY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/** The six newline-joined components of a canonical request. */
export interface CanonicalRequestParts {
  /** HTTP method as sent. */
  method: string;
  /** Output of {@link canonicalUri}. */
  canonicalUri: string;
  /** Output of {@link canonicalQueryString} / {@link canonicalQueryStringFromPairs}. */
  canonicalQueryString: string;
  /** Output of {@link canonicalHeaders} (ends with a newline). */
  canonicalHeaders: string;
  /** Output of {@link signedHeaders}. */
  signedHeaders: string;
  /** Hex SHA-256 of the body, or the verbatim `X-Sdk-Content-Sha256` value. */
  payloadHash: string;
}

const utf8 = new TextEncoder();
const HEX_UPPER = "0123456789ABCDEF";
const UNRESERVED_ONLY = /^[A-Za-z0-9\-._~]*$/;
const SDK_DATE_RE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
// RFC 9110 token, the only shape a method may have.
const TOKEN_RE = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// fetch() upper-cases exactly these methods and sends every other one verbatim;
// signing anything else than what goes on the wire would break verification.
const FETCH_NORMALISED_METHODS = new Set(["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"]);

/**
 * Percent-encodes every byte except the RFC 3986 unreserved set `A-Z a-z 0-9 - . _ ~`,
 * with upper-case hex, as Go `escape`, Python `quote(s, safe='~')` and Node `urlEncode` do.
 * A string argument is encoded as UTF-8 first.
 */
export function percentEncode(value: string | Uint8Array): string {
  const bytes = typeof value === "string" ? utf8.encode(value) : value;
  return encodeBinary(bytesToBinary(bytes));
}

/**
 * Builds the canonical URI from a URL pathname: percent-decodes it, splits it on `/`,
 * percent-encodes each segment and guarantees a trailing `/`.
 */
export function canonicalUri(pathname: string): string {
  // Decoding before splitting mirrors Python's `unquote(path).split('/')`: the wire
  // form of a URL is already percent-encoded, so encoding it again would double-encode.
  const segments = percentDecodeToBinary(pathname).split("/");
  const path = segments.map(encodeBinary).join("/");
  return path.endsWith("/") ? path : `${path}/`;
}

/**
 * Builds the canonical query string from a raw URL query (`url.search`, with or without
 * the leading `?`): pairs are split on `&` and the first `=`, percent-decoded (a `+` stays
 * a literal plus), sorted by key then value bytewise, re-encoded and joined with `&`.
 * A key without `=` is signed as `key=`.
 */
export function canonicalQueryString(search: string): string {
  const query = search.startsWith("?") ? search.slice(1) : search;
  const pairs: Array<[string, string]> = [];
  for (const part of query.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const key = eq === -1 ? part : part.slice(0, eq);
    const value = eq === -1 ? "" : part.slice(eq + 1);
    pairs.push([percentDecodeToBinary(key), percentDecodeToBinary(value)]);
  }
  return joinCanonicalPairs(pairs);
}

/**
 * Builds the canonical query string from already-decoded key/value pairs; repeated keys
 * are given as repeated pairs. Same ordering and encoding rules as {@link canonicalQueryString}.
 */
export function canonicalQueryStringFromPairs(pairs: Iterable<readonly [string, string]>): string {
  const binaryPairs: Array<[string, string]> = [];
  for (const [key, value] of pairs) {
    binaryPairs.push([bytesToBinary(utf8.encode(key)), bytesToBinary(utf8.encode(value))]);
  }
  return joinCanonicalPairs(binaryPairs);
}

/**
 * Renders canonical headers: one `name:value\n` line per entry, names lower-cased,
 * values trimmed of HTTP whitespace, sorted by name. Entries must have distinct names.
 */
export function canonicalHeaders(entries: Iterable<readonly [string, string]>): string {
  return headerLines(normaliseHeaderEntries(entries));
}

/** Renders the signed-headers list: lower-cased names, sorted, joined with `;`. */
export function signedHeaders(entries: Iterable<readonly [string, string]>): string {
  return headerNames(normaliseHeaderEntries(entries));
}

// The two renderings of entries already normalised (headersToSign's): signing renders them
// without normalising them twice more.
const headerLines = (normalised: Array<[string, string]>): string => normalised.map(([name, value]) => `${name}:${value}\n`).join("");
const headerNames = (normalised: Array<[string, string]>): string => normalised.map(([name]) => name).join(";");

/** Joins the six canonical request components with newlines. */
export function canonicalRequest(parts: CanonicalRequestParts): string {
  return [
    parts.method,
    parts.canonicalUri,
    parts.canonicalQueryString,
    parts.canonicalHeaders,
    parts.signedHeaders,
    parts.payloadHash,
  ].join("\n");
}

/** Builds the string to sign from the X-Sdk-Date value and the hex SHA-256 of the canonical request. */
export function stringToSign(sdkDate: string, canonicalRequestSha256Hex: string): string {
  return `${ALGORITHM}\n${sdkDate}\n${canonicalRequestSha256Hex}`;
}

/** Formats the Authorization header value. */
export function authorizationHeader(accessKey: string, signedHeaderList: string, signature: string): string {
  return `${ALGORITHM} Access=${accessKey}, SignedHeaders=${signedHeaderList}, Signature=${signature}`;
}

/** Formats a Date as `YYYYMMDDTHHMMSSZ` in UTC, the X-Sdk-Date format. */
export function formatSdkDate(date: Date): string {
  const time = date.getTime();
  if (!Number.isFinite(time)) throw new RangeError("date is not a valid Date");
  const year = date.getUTCFullYear();
  if (year < 0 || year > 9999) throw new RangeError("date is outside the years 0000-9999 that X-Sdk-Date can express");
  return (
    pad(year, 4) +
    pad(date.getUTCMonth() + 1, 2) +
    pad(date.getUTCDate(), 2) +
    "T" +
    pad(date.getUTCHours(), 2) +
    pad(date.getUTCMinutes(), 2) +
    pad(date.getUTCSeconds(), 2) +
    "Z"
  );
}

/** Tells whether a string is a well-formed X-Sdk-Date naming a real calendar instant. */
export function isValidSdkDate(value: string): boolean {
  const m = SDK_DATE_RE.exec(value);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  // Round-tripping rejects 20200230 or 25:00:00, which Date would silently roll over.
  return formatSdkDate(d) === value;
}

/**
 * Normalises a method the way `fetch` does: DELETE/GET/HEAD/OPTIONS/POST/PUT are
 * upper-cased case-insensitively, any other token is kept verbatim (fetch sends `patch` as is).
 */
export function normalizeMethod(method: string): string {
  if (!TOKEN_RE.test(method)) throw new TypeError("method is not a valid HTTP token");
  const upper = method.toUpperCase();
  return FETCH_NORMALISED_METHODS.has(upper) ? upper : method;
}

/** Tells whether a header (any case) takes part in the signature; see rule 6 of SIGNING.md for why `_` names do not. */
export function isSignableHeaderName(name: string): boolean {
  const lower = name.toLowerCase();
  // The Go and Python SDKs skip names with "_" because proxies such as nginx drop
  // them by default, which would make the gateway see a different header set.
  return lower !== "authorization" && !lower.includes("_");
}

/**
 * Selects and orders the `[name, value]` pairs that will be signed from a request's
 * headers: every signable header (see {@link isSignableHeaderName}) plus `host`.
 */
export function headersToSign(headers: Headers, url: URL): Array<[string, string]> {
  const entries: Array<[string, string]> = [];
  headers.forEach((value, name) => {
    if (name !== "host" && isSignableHeaderName(name)) entries.push([name, value]);
  });
  // Host is always signed, as the Python and Node SDKs do; an explicit Host header
  // wins because that is what the server will actually receive.
  entries.push(["host", headers.get("host") ?? url.host]);
  return normaliseHeaderEntries(entries);
}

function joinCanonicalPairs(pairs: Array<[string, string]>): string {
  // Pairs are binary strings (one char per UTF-8 byte), so plain comparison is a
  // bytewise sort, which is what Go's sort.Strings does on the raw key and value.
  pairs.sort((a, b) => compare(a[0], b[0]) || compare(a[1], b[1]));
  return pairs.map(([k, v]) => `${encodeBinary(k)}=${encodeBinary(v)}`).join("&");
}

function normaliseHeaderEntries(entries: Iterable<readonly [string, string]>): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const seen = new Set<string>();
  for (const [name, value] of entries) {
    const lower = name.toLowerCase();
    if (seen.has(lower)) throw new TypeError(`duplicate header name in signed set: ${lower}`);
    seen.add(lower);
    out.push([lower, trimHttpWhitespace(value)]);
  }
  return out.sort((a, b) => compare(a[0], b[0]));
}

// A "binary string" holds one UTF-16 unit per byte (0-255), which lets bytes be
// split, compared and sorted with ordinary string operations.
function bytesToBinary(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    out += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return out;
}

function percentDecodeToBinary(s: string): string {
  // Malformed escapes such as "%zz" stay literal, as with Python's unquote; the lone "%"
  // is then re-encoded as %25. Decoding at byte level keeps invalid UTF-8 intact. An ASCII
  // string (every URL as fetch sends it) is its own UTF-8.
  const binary = /^[\x00-\x7f]*$/.test(s) ? s : bytesToBinary(utf8.encode(s));
  if (!binary.includes("%")) return binary;
  return binary.replace(/%([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function encodeBinary(binary: string): string {
  // Most segments, keys and values are unreserved characters only: they encode to themselves.
  if (UNRESERVED_ONLY.test(binary)) return binary;
  let out = "";
  for (let i = 0; i < binary.length; i++) {
    const c = binary.charCodeAt(i);
    if (isUnreserved(c)) {
      out += binary[i];
    } else {
      out += `%${HEX_UPPER[c >> 4]}${HEX_UPPER[c & 15]}`;
    }
  }
  return out;
}

function isUnreserved(c: number): boolean {
  return (
    (c >= 0x41 && c <= 0x5a) || // A-Z
    (c >= 0x61 && c <= 0x7a) || // a-z
    (c >= 0x30 && c <= 0x39) || // 0-9
    c === 0x2d || c === 0x2e || c === 0x5f || c === 0x7e // - . _ ~
  );
}

function trimHttpWhitespace(value: string): string {
  return value.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, "");
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

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
   * A WebCrypto to hash with. Without it, node:crypto where the runtime has it (Node, Bun, Deno),
   * else `globalThis.crypto.subtle`: the same signature either way. Node 18 without
   * `--experimental-global-webcrypto` and before node:crypto is reachable can pass
   * `(await import("node:crypto")).webcrypto.subtle`.
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
 * Signs a request, assuming its credentials follow the rules of src/auth/credentials.ts (the
 * client checked them once; `./signer` checks them before every call).
 */
export async function signatureFor(input: SignRequestInput): Promise<SignatureDetails> {
  const { subtle } = input;
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
  const signedHeaderList = headerNames(toSign);
  const request = canonicalRequest({
    method,
    canonicalUri: canonicalUri(url.pathname),
    canonicalQueryString: canonicalQueryString(url.search),
    canonicalHeaders: headerLines(toSign),
    signedHeaders: signedHeaderList,
    payloadHash,
  });
  const sts = stringToSign(sdkDate, await sha256Hex(request, subtle));
  const signature = await hmacSha256Hex(input.secretKey, sts, subtle);
  const authorization = authorizationHeader(input.accessKey, signedHeaderList, signature);
  headers.set("Authorization", authorization);

  return { headers, canonicalRequest: request, stringToSign: sts, signedHeaders: signedHeaderList, signature, authorization };
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

async function hashBody(body: SignableBody | null | undefined, subtle: SubtleCrypto | undefined): Promise<string> {
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
