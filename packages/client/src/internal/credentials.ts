/**
 * The rules a credential must follow, in one place: `createClient` checks them once, up front
 * (through `createAuthenticator` in src/auth.ts), and the signer (src/signer.ts) on every call,
 * so the two cannot disagree and a client that was created never fails later because of its
 * credentials.
 *
 * @internal
 * @module
 */

/** The credential fields, as named in `ClientOptions.credentials` and in `SignRequestInput`. */
export type CredentialField = "token" | "accessKey" | "secretKey" | "securityToken";

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
