/** Options of one call of a resource method. */
export interface CallOptions {
  /** Aborts the call (every attempt and every wait between attempts); it then rejects with `RequestAbortedError`. */
  signal?: AbortSignal | undefined;
}
