// The fetch that openapi-fetch is given: it sends one request as attempts, each with its own
// timeout, separated by backoff waits, all under the caller's AbortSignal, authenticates each
// attempt after every middleware has run, and reads the body once, inside the attempt's timeout.
// Failures below HTTP become typed errors here, and so do the answers no caller should see: a
// redirect (never followed: fetch would forward our credential headers to wherever it points)
// and a body over the size cap.
import type { Authenticator } from "../auth/credentials.js";
import {
  CodeArtsError,
  ConnectionError,
  InvalidResponseError,
  RedirectError,
  RequestAbortedError,
  ResponseTooLargeError,
  SigningError,
  TimeoutError,
} from "../errors.js";
import { RETRYABLE_STATUSES, retryAfterMs, retryDelayMs, type RetryOptions } from "./retry.js";

/** How the transport behaves. */
export interface TransportOptions {
  /** Called once per attempt, like `globalThis.fetch`, with the request and an init that overrides its headers, signal and redirect mode. */
  fetch: (input: Request, init: RequestInit) => Promise<Response>;
  timeoutMs: number;
  /** Most bytes of one response body, counted after decompression. */
  maxResponseBytes: number;
  maxRetries: number;
  retry: RetryOptions;
  authenticate: Authenticator;
  /**
   * After a connection failure at a URL: the same request at the service's next endpoint, tried
   * at once without spending a retry; undefined when there is none. Not after a timeout: a slow
   * host is not an absent one, and trying the next would add a whole timeout per endpoint.
   */
  failover: (url: string) => Promise<string | undefined>;
}

/** What is sent in one attempt; the authenticator may add to its headers (names in lower case). */
interface Outgoing {
  method: string;
  url: string;
  headers: Record<string, string>;
}

// Statuses whose responses cannot carry a body (the Response constructor rejects one).
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/** Sends a request with per-attempt timeouts and retries, and answers with the final response, its body already read (within the cap). */
export type Transport = (request: Request) => Promise<Response>;

/** The transport for the options given. */
export function createTransport(options: TransportOptions): Transport {
  return async function send(request) {
    const callerSignal = request.signal;
    let input = request;
    for (let attempt = 0; ; attempt++) {
      throwIfAborted(callerSignal);
      const attemptControl = new AbortController();
      // The request's headers are whatever the middleware left; a fresh copy each attempt, so the
      // credentials (a signature with its date) are added afresh and never seen by middleware.
      const outgoing: Outgoing = { method: input.method, url: input.url, headers: Object.fromEntries(input.headers) };
      let headers = authenticate(options.authenticate, outgoing);
      // A token adds its header at once; a signature may wait (for WebCrypto).
      if (headers instanceof Promise) headers = await headers;
      // The init overrides the request's own settings; "manual" keeps fetch from following a redirect.
      const init: RequestInit = { headers, signal: attemptControl.signal, redirect: "manual" };
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        attemptControl.abort();
      }, options.timeoutMs);
      const forwardAbort = () => attemptControl.abort();
      callerSignal.addEventListener("abort", forwardAbort, { once: true });
      let response: Response;
      let text: string;
      try {
        response = await options.fetch(input, init);
        const { status } = response;
        // A browser hides a manual redirect behind status 0 (an "opaqueredirect" response).
        if ((status > 299 && status < 400 && status !== 304) || !status) throw redirectError(outgoing, response);
        // The timeout covers the body too: a server that stalls mid-body is a timeout as well.
        text = await readBody(response, options.maxResponseBytes, outgoing);
      } catch (error) {
        // Our own verdicts on the answer are final. Aborting drops the rest of the body and its connection.
        if (error instanceof CodeArtsError) {
          attemptControl.abort();
          throw error;
        }
        throwIfAborted(callerSignal);
        const failure = timedOut ? new TimeoutError(describe(outgoing), options.timeoutMs) : connectionError(outgoing, error);
        const next = failure instanceof ConnectionError ? await options.failover(outgoing.url) : undefined;
        if (next) {
          // The same request, every other setting kept, at the next endpoint.
          input = new Request(next, input);
          attempt--;
          continue;
        }
        // A response that does not parse as HTTP would not parse any better the next time.
        if (attempt >= options.maxRetries || failure instanceof InvalidResponseError) throw failure;
        await sleep(retryDelayMs(attempt, options.retry, undefined) ?? 0, callerSignal);
        continue;
      } finally {
        clearTimeout(timer);
        callerSignal.removeEventListener("abort", forwardAbort);
      }
      const { status, headers: responseHeaders } = response;
      const delay = attempt < options.maxRetries && RETRYABLE_STATUSES.has(status) ? retryDelayMs(attempt, options.retry, retryAfterMs(responseHeaders)) : undefined;
      if (delay === undefined) return new Response(NULL_BODY_STATUSES.has(status) ? null : text, response);
      await sleep(delay, callerSignal);
    }
  };
}

/** Names the operation of a request in error messages; never its headers. */
function describe(outgoing: Outgoing): string {
  return `${outgoing.method} ${new URL(outgoing.url).pathname}`;
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

// The signer's errors are its own messages about the request (a malformed X-Sdk-Date a middleware
// set, say), never a credential: they become a SigningError that keeps them.
function authenticate(authenticator: Authenticator, outgoing: Outgoing): HeadersInit | Promise<HeadersInit> {
  const fail = (error: unknown): never => {
    if (error instanceof CodeArtsError) throw error;
    throw new SigningError(`${describe(outgoing)} could not be signed: ${(error as Error)?.message ?? error}`, { cause: error });
  };
  try {
    const headers = authenticator(outgoing);
    return headers instanceof Promise ? headers.catch(fail) : headers;
  } catch (error) {
    return fail(error);
  }
}

// The one place that walks a fetch failure's cause chain: undici wraps the socket error, whose
// `code` callers then read from the ConnectionError instead of walking the chain themselves.
// undici's parser (HPE_*, a header section over its limit) and zlib (Z_*) fail on what the host
// sent: the host was reached, its answer is what is wrong.
function connectionError(outgoing: Outgoing, error: unknown): ConnectionError | InvalidResponseError {
  let innermost = error;
  while (innermost instanceof Error && innermost.cause instanceof Error) innermost = innermost.cause;
  const found = (innermost as { code?: unknown } | null)?.code;
  const code = typeof found === "string" ? found : undefined;
  const reason = innermost instanceof Error ? innermost.message : String(innermost);
  const invalid = /^(HPE|Z)_|HEADERS_OVERFLOW/.test(code!);
  return new (invalid ? InvalidResponseError : ConnectionError)(
    `${describe(outgoing)} ${invalid ? "got an invalid response from" : "could not reach"} ${new URL(outgoing.url).host}: ${code ? `${code} ${reason}` : reason}`,
    { cause: error, code },
  );
}

// Names where a redirect pointed, by host only: its path or query may carry anything.
function redirectError(outgoing: Outgoing, { status, headers }: Response): RedirectError {
  let host: string | undefined;
  try {
    // No Location (or an empty one) reads as "//", a URL with no host, which throws like any unparsable one.
    host = new URL(headers.get("location") || "//", outgoing.url).host;
  } catch {
    // An unparsable Location names no host.
  }
  return new RedirectError(`${describe(outgoing)} was redirected to ${host} (HTTP ${status})`, status, host);
}

// Reads the body as it arrives and counts its bytes after decompression (fetch decodes gzip, br
// and deflate), so that a body which is, or inflates to, more than the cap never sits in memory
// whole. Decoding chunk by chunk keeps one pass over the bytes, like response.text().
async function readBody(response: Response, maxBytes: number, outgoing: Outgoing): Promise<string> {
  // No body at all (204, 304) reads as no chunk.
  const reader = response.body?.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let bytes = 0;
  for (let chunk; (chunk = await reader?.read()) && !chunk.done; ) {
    bytes += chunk.value.byteLength;
    if (bytes > maxBytes) throw new ResponseTooLargeError(`${describe(outgoing)} returned a body over ${maxBytes} bytes`, maxBytes);
    text += decoder.decode(chunk.value, { stream: true });
  }
  return text + decoder.decode();
}
