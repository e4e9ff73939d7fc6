/**
 * Modules the client loads on first use (the signing, the redactor, the response validator).
 * A load that fails (a missing chunk, a page gone offline) is forgotten, so the next use tries
 * again, and it is reported as the client's own error rather than the loader's.
 *
 * @internal
 * @module
 */

/** A loader of `load()`'s module that loads it once, forgets a failed load, and rejects with `failure(cause)`. */
export function lazily<T>(load: () => Promise<T>, failure: (cause: unknown) => Error): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () =>
    (loading ??= load().catch((cause: unknown) => {
      loading = undefined;
      throw failure(cause);
    }));
}
