// The bound on work in flight: however many scrapes arrive at once, for however many targets,
// at most --max-concurrent collections run (each asks three services), and the others wait their
// turn in arrival order. A waiter gives up when its signal aborts (its scrape's deadline passed,
// or every scrape waiting for it went away), so the queue never holds work nobody wants.

/** A counting semaphore whose waiters can give up. */
export class Slots {
  private free: number;
  private readonly queue: Array<{ take: () => void; signal: AbortSignal | undefined; onAbort: () => void }> = [];

  constructor(readonly size: number) {
    if (!(Number.isInteger(size) && size >= 1)) throw new RangeError("size must be a whole number, at least 1");
    this.free = size;
  }

  /** Slots held now. */
  get inUse(): number {
    return this.size - this.free;
  }

  /** Callers waiting for a slot now. */
  get waiting(): number {
    return this.queue.length;
  }

  /**
   * Resolves, once a slot is free, to the function that gives it back (call it exactly once);
   * rejects with the signal's reason if it aborts first.
   */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.free > 0) {
      this.free--;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        take: () => {
          signal?.removeEventListener("abort", waiter.onAbort);
          resolve(this.releaser());
        },
        signal,
        onAbort: () => {
          const at = this.queue.indexOf(waiter);
          if (at >= 0) this.queue.splice(at, 1);
          reject(signal?.reason);
        },
      };
      signal?.addEventListener("abort", waiter.onAbort, { once: true });
      this.queue.push(waiter);
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // Handed straight to the next waiter, so a newcomer cannot overtake the queue.
      const next = this.queue.shift();
      if (next) next.take();
      else this.free++;
    };
  }
}
