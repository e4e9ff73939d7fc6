// Scrapes must never multiply API calls: Prometheus may scrape every few seconds, from several
// replicas at once, while CodeArts answers change once a day. Each target's collection is kept
// for a time, concurrent scrapes of a target share the one collection in flight, and only so many
// targets are kept (least recently scraped evicted first), so that /probe with ever new targets
// cannot grow the exporter's memory without bound.

interface Entry<T> {
  value?: T;
  /** When `value` was loaded (the loader's end), in `now()` milliseconds. */
  loadedAt?: number;
  /** The load in flight, which every caller asking meanwhile shares. */
  pending?: Promise<T>;
}

/** A per-key cache with a time to live, single-flight loads and a least-recently-used bound. */
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

  /** The value of `key`: cached while younger than the time to live, else from one shared call of `load`. */
  get(key: string, load: () => Promise<T>): Promise<T> {
    let entry = this.entries.get(key);
    if (entry) {
      // Re-inserted, so the Map's insertion order is the order of last use.
      this.entries.delete(key);
      this.entries.set(key, entry);
      if (entry.pending) return entry.pending;
      if (entry.loadedAt !== undefined && this.now() - entry.loadedAt < this.ttlMs) return Promise.resolve(entry.value as T);
    } else {
      entry = {};
      this.entries.set(key, entry);
      this.evict();
    }
    const current = entry;
    const pending = load().then(
      (value) => {
        current.value = value;
        current.loadedAt = this.now();
        delete current.pending;
        return value;
      },
      (error: unknown) => {
        delete current.pending;
        throw error;
      },
    );
    current.pending = pending;
    return pending;
  }

  private evict(): void {
    for (const key of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) return;
      // An evicted load still settles for the callers that share it; it is only not kept.
      this.entries.delete(key);
    }
  }
}
