// When to retry and how long to wait: exponential backoff with jitter, overridden by the
// server's own Retry-After within a cap.

/** How retries wait. */
export interface RetryOptions {
  /** Wait before the first retry, before jitter. Default 500 ms. */
  initialDelayMs?: number | undefined;
  /** Longest wait between two attempts. Default 8,000 ms. */
  maxDelayMs?: number | undefined;
  /** Longest `Retry-After` honoured; a server asking for more gets no retry. Default 60,000 ms. */
  maxRetryAfterMs?: number | undefined;
}

/** The waits a client uses when its `retry` option leaves them out. */
export const RETRY_DEFAULTS = { initialDelayMs: 500, maxDelayMs: 8_000, maxRetryAfterMs: 60_000 } as const;

/** The statuses worth another attempt: transient by definition. 400/401/403/404 never are. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/** Milliseconds the response asks to wait (`Retry-After` in seconds or as an HTTP date, or `retry-after-ms`), if it says. */
export function retryAfterMs(headers: Headers, now = Date.now()): number | undefined {
  // Headers trims its values already. A missing header reads as null, which no pattern here matches.
  const milliseconds = headers.get("retry-after-ms");
  if (/^\d+(\.\d+)?$/.test(milliseconds!)) return Number(milliseconds);
  const value = headers.get("retry-after");
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // Only an HTTP date names a month or a weekday; Date.parse also reads "-5" (as a year) and "1.5".
  if (!/[a-z]{3}/i.test(value)) return undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The wait before retry number `retry` (0-based), or `undefined` when the server asked for a
 * wait longer than the cap (retrying earlier than asked would only be throttled again).
 */
export function retryDelayMs(retry: number, options: RetryOptions, serverAskedMs: number | undefined, random = Math.random): number | undefined {
  const maxRetryAfter = options.maxRetryAfterMs ?? RETRY_DEFAULTS.maxRetryAfterMs;
  if (serverAskedMs !== undefined) return serverAskedMs <= maxRetryAfter ? serverAskedMs : undefined;
  const initial = options.initialDelayMs ?? RETRY_DEFAULTS.initialDelayMs;
  const max = options.maxDelayMs ?? RETRY_DEFAULTS.maxDelayMs;
  const backoff = Math.min(initial * 2 ** retry, max);
  // Up to a quarter off, so that clients failing together do not retry together.
  return backoff * (1 - random() * 0.25);
}
