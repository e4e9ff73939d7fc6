/**
 * Huawei Cloud AK/SK request signing ("SDK-HMAC-SHA256"), as implemented by the official
 * huaweicloud-sdk-{go,python,nodejs}-v3 core signers: `signRequest` for any HTTP library, and
 * `computeSignature` to see every intermediate value.
 *
 * It hashes with node:crypto where the runtime has it (Node, Bun, Deno) and with WebCrypto
 * elsewhere, and otherwise needs only TextEncoder, Headers and URL, so it runs unchanged in
 * browsers too. SIGNING.md (next to this package's `package.json`) states the algorithm rule by
 * rule, and where Huawei's SDKs deviate from it and from each other.
 *
 * @module
 */
import { credentialProblem } from "./credentials.js";
import { signatureFor, type SignatureDetails, type SignRequestInput } from "./signing.js";

export {
  ALGORITHM,
  EMPTY_BODY_SHA256,
  formatSdkDate,
  HEADER_CONTENT_SHA256,
  HEADER_SDK_DATE,
  HEADER_SECURITY_TOKEN,
  isValidSdkDate,
  UNSIGNED_PAYLOAD,
  type SignableBody,
  type SignatureDetails,
  type SignRequestInput,
} from "./signing.js";

/** Signs a request and returns every intermediate value alongside the headers to send. */
export async function computeSignature(input: SignRequestInput): Promise<SignatureDetails> {
  // The client checks the same rules once, at createClient; here they guard direct callers.
  for (const field of ["accessKey", "secretKey", "securityToken"] as const) {
    if (field === "securityToken" && input[field] === undefined) continue;
    const problem = credentialProblem(field, input[field]);
    if (problem) throw new TypeError(`${field} ${problem}`);
  }
  return signatureFor(input);
}

/**
 * Signs a request with SDK-HMAC-SHA256 and returns the headers to send with it: the input
 * headers plus `X-Sdk-Date`, `Authorization` and, when applicable, `X-Security-Token` and
 * `X-Sdk-Content-Sha256`. `host` is always signed (from a supplied Host header, else
 * `url.host`, which is what fetch sends) but only returned if it was supplied.
 */
export async function signRequest(input: SignRequestInput): Promise<Headers> {
  return (await computeSignature(input)).headers;
}
