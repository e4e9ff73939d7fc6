// The fetch that openapi-fetch calls: one logical request becomes attempts, each with its own
// timeout, separated by backoff waits, all under the caller's AbortSignal. Failures below HTTP
// become typed errors here.
import type { Authenticator } from "./auth.js";
import { ConnectionError, RequestAbortedError, TimeoutError } from "./errors.js";
import { RETRYABLE_STATUSES, retryAfterMs, retryDelayMs, type RetryOptions } from "./retry.js";

/** How the transport behaves. */
export interface TransportOptions {
  fetch: (request: Request) => Promise<Response>;
  timeoutMs: number;
  maxRetries: number;
  retry: RetryOptions;
  authenticate: Authenticator;
  /** Names the operation of a request in error messages. */
  describe: (request: Request) => string;
}

/** A fetch with per-attempt timeouts, retries, and typed connection, timeout and abort errors. */
export function createTransport(options: TransportOptions): (request: Request) => Promise<Response> {
  return async function transport(request: Request): Promise<Response> {
    const callerSignal = request.signal;
    for (let attempt = 0; ; attempt++) {
      throwIfAborted(callerSignal);
      const attemptControl = new AbortController();
      // GET requests carry no body, so the same request can be sent again on each attempt;
      // it is authenticated per attempt so that a signature's date is always fresh.
      const attemptRequest = await options.authenticate(new Request(request, { signal: attemptControl.signal }));
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        attemptControl.abort();
      }, options.timeoutMs);
      const forwardAbort = () => attemptControl.abort();
      callerSignal.addEventListener("abort", forwardAbort, { once: true });
      let response: Response;
      try {
        response = await options.fetch(attemptRequest);
        // The timeout covers the body too: a server that stalls mid-body is a timeout as well.
        const body = await response.arrayBuffer();
        response = new Response(response.status === 204 || response.status === 304 ? null : body, response);
      } catch (error) {
        throwIfAborted(callerSignal);
        const failure = timedOut
          ? new TimeoutError(options.describe(request), options.timeoutMs)
          : new ConnectionError(`${options.describe(request)} could not reach ${new URL(request.url).host}: ${reasonOf(error)}`, { cause: error });
        if (attempt >= options.maxRetries) throw failure;
        await sleep(retryDelayMs(attempt, options.retry, undefined) ?? 0, callerSignal);
        continue;
      } finally {
        clearTimeout(timer);
        callerSignal.removeEventListener("abort", forwardAbort);
      }
      if (attempt >= options.maxRetries || !RETRYABLE_STATUSES.has(response.status)) return response;
      const delay = retryDelayMs(attempt, options.retry, retryAfterMs(response.headers));
      if (delay === undefined) return response;
      await sleep(delay, callerSignal);
    }
  };
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new RequestAbortedError("The request was aborted by its caller", { cause: signal.reason });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(new RequestAbortedError("The request was aborted by its caller", { cause: signal.reason }));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** The innermost reason of a fetch failure (undici wraps the socket error as `cause`). */
function reasonOf(error: unknown): string {
  let current = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  if (current instanceof Error) {
    const code = (current as Error & { code?: unknown }).code;
    return typeof code === "string" ? `${code} ${current.message}`.trim() : current.message;
  }
  return String(current);
}
