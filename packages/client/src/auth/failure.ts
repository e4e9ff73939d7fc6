// How a provider says it gave nothing. Every failure names the places looked, each with why it
// gave nothing, never a value. A chain goes on past a source that has nothing, but stops at one
// that is configured and broken: silently using the next source's identity would hide the mistake.
import { CredentialsError } from "../errors.js";

const NOT_FOUND = Symbol("not found here");

/** A `CredentialsError` listing `sources`; `final` unless the source merely had nothing, so that a chain goes on. */
export function noCredentials(sources: string[], final: boolean, cause?: unknown): CredentialsError {
  const error = Object.assign(new CredentialsError(`No credentials: ${sources.join("; ")}`, { cause }), { sources });
  if (!final) (error as unknown as Record<symbol, boolean>)[NOT_FOUND] = true;
  return error;
}

/** Whether a provider's failure only means that its source has no credentials. */
export function foundNothing(error: unknown): boolean {
  return !!error && (error as Record<symbol, unknown>)[NOT_FOUND] === true;
}

/** An access key pair, without a `securityToken` key when there is none, so that it compares and prints cleanly. */
export function keyPair(accessKey: string, secretKey: string, securityToken: string | undefined): { accessKey: string; secretKey: string; securityToken?: string } {
  return securityToken === undefined ? { accessKey, secretKey } : { accessKey, secretKey, securityToken };
}
