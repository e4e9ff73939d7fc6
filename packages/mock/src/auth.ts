// Checks a request's credentials the way the API Gateway does: an IAM token is accepted on its
// shape alone (the mock has no IAM to ask), an AK/SK signature is recomputed and compared.
import { timingSafeEqual, webcrypto } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { computeSignature, isValidSdkDate } from "@codearts-package-status/client/signer";

/** Outcome of the credential check; `reason` never contains a credential. */
export type AuthResult =
  | { kind: "ok" }
  | { kind: "missing"; reason: string }
  | { kind: "rejected"; reason: string };

/** What the verifier needs from one request. */
export interface AuthInput {
  method: string;
  /** Path and query exactly as received (`req.url`). */
  rawUrl: string;
  headers: IncomingHttpHeaders;
  body: Uint8Array;
}

const MAX_TOKEN_LENGTH = 100_000;
// The gateway accepts a signature within 15 minutes of its clock, either way.
const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;
const AUTHORIZATION_RE = /^SDK-HMAC-SHA256\s+Access=([^,\s]+)\s*,\s*SignedHeaders=([^,\s]+)\s*,\s*Signature=([0-9a-fA-F]+)\s*$/;
const SDK_DATE_RE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** Verifies the credentials of one request against the configured access keys. */
export async function authenticate(input: AuthInput, accessKeys: ReadonlyMap<string, string>, now: number = Date.now()): Promise<AuthResult> {
  const token = input.headers["x-auth-token"];
  if (token !== undefined) {
    // Only the documented 1 to 100,000 characters can be checked without an IAM to ask.
    return typeof token === "string" && token.length > 0 && token.length <= MAX_TOKEN_LENGTH
      ? { kind: "ok" }
      : { kind: "missing", reason: "X-Auth-Token must be 1 to 100000 characters" };
  }
  const authorization = input.headers.authorization;
  if (authorization === undefined || !/^SDK-HMAC-SHA256\b/.test(authorization)) {
    return { kind: "missing", reason: "no X-Auth-Token and no SDK-HMAC-SHA256 Authorization header" };
  }
  return verifySignature(input, authorization, accessKeys, now);
}

async function verifySignature(input: AuthInput, authorization: string, accessKeys: ReadonlyMap<string, string>, now: number): Promise<AuthResult> {
  const parsed = AUTHORIZATION_RE.exec(authorization);
  if (!parsed) return reject("malformed SDK-HMAC-SHA256 Authorization header");
  const [, accessKey = "", signedHeaderList = "", signature = ""] = parsed;

  const sdkDate = input.headers["x-sdk-date"];
  if (typeof sdkDate !== "string" || !isValidSdkDate(sdkDate)) return reject("X-Sdk-Date missing or not YYYYMMDDTHHMMSSZ");
  if (Math.abs(now - sdkDateToEpoch(sdkDate)) > MAX_CLOCK_SKEW_MS) return reject("X-Sdk-Date is more than 15 minutes from the server clock");

  const secretKey = accessKeys.get(accessKey);
  if (secretKey === undefined) return reject("unknown access key");

  // The gateway takes the project from X-Project-Id (multi-project accounts): one outside the
  // signature could be swapped in transit, so it is refused, as Huawei's gateway does.
  const names = signedHeaderList.split(";");
  if (input.headers["x-project-id"] !== undefined && !names.includes("x-project-id")) return reject("X-Project-Id is present but not in SignedHeaders");

  const signed: Record<string, string> = {};
  for (const name of names) {
    const value = input.headers[name];
    if (value === undefined) return reject(`signed header ${name} is not in the request`);
    signed[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  const host = input.headers.host;
  if (host === undefined) return reject("no Host header");

  let expected: { signature: string; signedHeaders: string };
  try {
    expected = await computeSignature({
      method: input.method,
      url: `http://${host}${input.rawUrl}`,
      headers: signed,
      body: input.body.byteLength > 0 ? input.body : undefined,
      accessKey,
      secretKey,
      // Passed explicitly because Node 18 has no global WebCrypto without a flag.
      subtle: webcrypto.subtle as SubtleCrypto,
    });
  } catch {
    // The signer rejects input it could never have signed (bad method, URL or header syntax).
    return reject("request cannot be canonicalised");
  }
  // A client that left X-Sdk-Date or Host out of SignedHeaders signed something the gateway does not verify.
  if (expected.signedHeaders !== signedHeaderList) return reject("SignedHeaders must list host, x-sdk-date and every other signable header, sorted");
  return constantTimeEqual(expected.signature, signature.toLowerCase()) ? { kind: "ok" } : reject("signature mismatch");
}

function reject(reason: string): AuthResult {
  return { kind: "rejected", reason };
}

function sdkDateToEpoch(value: string): number {
  const [, y, mo, d, h, mi, s] = (SDK_DATE_RE.exec(value) ?? []).map(Number);
  return Date.UTC(y ?? 0, (mo ?? 1) - 1, d ?? 1, h ?? 0, mi ?? 0, s ?? 0);
}

function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, "utf8");
  const right = Buffer.from(b, "utf8");
  // Compare against itself on a length mismatch so the time taken does not depend on where the strings differ.
  if (left.length !== right.length) {
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}
