/** Options of one call of a resource method. */
export interface CallOptions {
  /** Aborts the call (every attempt and every wait between attempts); it then rejects with `RequestAbortedError`. */
  signal?: AbortSignal | undefined;
}

/**
 * A call's result with the `X-Request-Id` of the response it came from, to quote to Huawei Cloud
 * support: `_request_id`, undefined when the service sent none. Non-enumerable, so
 * `JSON.stringify` and deep equality see the body as sent (an object or array body; a `null`
 * body has no room for it).
 */
export type WithRequestId<T> = T extends object ? T & { readonly _request_id?: string | undefined } : T;
