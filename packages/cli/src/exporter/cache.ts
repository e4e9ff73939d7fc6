// Scrapes must never multiply API calls: Prometheus may scrape every few seconds, from several
// replicas at once, while CodeArts answers change once a day. Each target's collection is kept
// for a time, concurrent scrapes of a target share the one collection in flight, and only so many
// targets are kept (least recently scraped evicted first), so that /probe with ever new targets
// cannot grow the exporter's memory without bound. A load every caller has stopped waiting for
// is cancelled: no one would read it, and it holds one of the --max-concurrent slots.

interface Entry<T> {
  value?: T;
  /** When `value` was loaded (the loader's end), in `now()` milliseconds. */
  loadedAt?: number;
  /** The load in flight, which every caller asking meanwhile shares. */
  pending?: Promise<T>;
  /** Cancels the load in flight. */
  cancel?: AbortController;
  /** Callers still waiting for the load in flight. */
  waiters: number;
}

// A load every caller left is cancelled, but what it still brings is kept: its calls may have
// ended already, and only local work (rendering) be left, which no signal stops. A new caller
// does not join it: it starts a load of its own.

/** A per-key cache with a time to live, single-flight loads that are cancelled when no one waits, and a least-recently-used bound. */
export class TargetCache<T> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(maxEntries >= 1)) throw new RangeError("maxEntries must be at least 1");
  }

  /** The number of keys held. */
  get size(): number {
    return this.entries.size;
  }

  /**
   * The value of `key`: cached while younger than the time to live, else from one shared call of
   * `load`. A caller whose `gone` signal aborts stops waiting (its promise rejects with the
   * reason); when every caller of a load has, the load's signal aborts and no new caller joins it,
   * but a value it still brings is kept.
   */
  get(key: string, load: (cancel: AbortSignal) => Promise<T>, gone?: AbortSignal): Promise<T> {
    let entry = this.entries.get(key);
    if (entry) {
      // Re-inserted, so the Map's insertion order is the order of last use.
      this.entries.delete(key);
      this.entries.set(key, entry);
      if (entry.pending) return this.wait(entry, entry.pending, gone);
      if (entry.loadedAt !== undefined && this.now() - entry.loadedAt < this.ttlMs) return Promise.resolve(entry.value as T);
    } else {
      entry = { waiters: 0 };
      this.entries.set(key, entry);
      this.evict();
    }
    const current = entry;
    const cancel = new AbortController();
    const startedAt = this.now();
    const pending: Promise<T> = load(cancel.signal).then(
      (value) => {
        // Kept unless a later load already brought a fresher value.
        if (!(current.loadedAt !== undefined && current.loadedAt >= startedAt)) {
          current.value = value;
          current.loadedAt = this.now();
        }
        if (current.pending === pending) this.settled(current);
        return value;
      },
      (error: unknown) => {
        if (current.pending === pending) this.settled(current);
        throw error;
      },
    );
    current.pending = pending;
    current.cancel = cancel;
    current.waiters = 0;
    return this.wait(current, pending, gone);
  }

  private settled(entry: Entry<T>): void {
    delete entry.pending;
    delete entry.cancel;
  }

  private wait(entry: Entry<T>, pending: Promise<T>, gone: AbortSignal | undefined): Promise<T> {
    entry.waiters++;
    if (!gone) return pending.finally(() => entry.waiters--);
    return new Promise<T>((resolve, reject) => {
      let left = false;
      const leave = () => {
        left = true;
        entry.waiters--;
        reject(gone.reason);
        if (entry.waiters === 0 && entry.pending === pending) {
          entry.cancel?.abort(new Error("every scrape waiting for this collection went away"));
          // Not joined any more: the next caller starts afresh (see above).
          this.settled(entry);
        }
      };
      if (gone.aborted) return leave();
      gone.addEventListener("abort", leave, { once: true });
      pending.then(
        (value) => {
          if (left) return;
          gone.removeEventListener("abort", leave);
          entry.waiters--;
          resolve(value);
        },
        (error: unknown) => {
          if (left) return;
          gone.removeEventListener("abort", leave);
          entry.waiters--;
          reject(error);
        },
      );
    });
  }

  private evict(): void {
    for (const key of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) return;
      // An evicted load still settles for the callers that share it; it is only not kept.
      this.entries.delete(key);
    }
  }
}
