// The exporter's cache on its own, with a clock the test moves: time to live, one shared load,
// the least-recently-used bound, and a failed load that is not kept.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TargetCache } from "../src/exporter/cache.js";

function counting(): { load: (key: string) => () => Promise<string>; calls: string[] } {
  const calls: string[] = [];
  return { calls, load: (key) => () => (calls.push(key), Promise.resolve(`${key}#${calls.length}`)) };
}

describe("TargetCache", () => {
  it("loads a key once within the time to live, and again after it", async () => {
    let now = 0;
    const cache = new TargetCache<string>(1000, 10, () => now);
    const { load, calls } = counting();
    expect(await cache.get("a", load("a"))).toBe("a#1");
    now = 999;
    expect(await cache.get("a", load("a"))).toBe("a#1");
    now = 1000;
    expect(await cache.get("a", load("a"))).toBe("a#2");
    expect(calls).toEqual(["a", "a"]);
  });

  it("gives every caller during a load the same promise, with a time to live of 0 too", async () => {
    const cache = new TargetCache<string>(0, 10);
    let release: (value: string) => void = () => {};
    let loads = 0;
    const load = () => (loads++, new Promise<string>((resolve) => (release = resolve)));
    const waiting = Array.from({ length: 5 }, () => cache.get("a", load));
    release("done");
    expect(await Promise.all(waiting)).toEqual(Array(5).fill("done"));
    expect(loads).toBe(1);
  });

  it("does not keep a failed load: the next caller tries again", async () => {
    const cache = new TargetCache<string>(60_000, 10);
    await expect(cache.get("a", () => Promise.reject(new Error("down")))).rejects.toThrow("down");
    expect(await cache.get("a", () => Promise.resolve("up"))).toBe("up");
  });

  it("never holds more than its bound, whatever the keys, and keeps the most recently used", () =>
    fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 5 }), fc.array(fc.constantFrom("a", "b", "c", "d", "e", "f", "g"), { maxLength: 40 }), async (bound, keys) => {
        const cache = new TargetCache<string>(60_000, bound, () => 0);
        const { load } = counting();
        for (const key of keys) {
          await cache.get(key, load(key));
          expect(cache.size).toBeLessThanOrEqual(bound);
        }
        // The last `bound` distinct keys used are held: asking them again loads nothing.
        const recent = [...new Set([...keys].reverse())].slice(0, bound);
        const again = counting();
        for (const key of recent) await cache.get(key, again.load(key));
        expect(again.calls).toEqual([]);
      }),
    ));
});

describe("TargetCache: a load no one waits for", () => {
  const pendingLoad = () => {
    let cancelled: AbortSignal | undefined;
    let resolve: (value: string) => void = () => {};
    const load = (cancel: AbortSignal) => ((cancelled = cancel), new Promise<string>((done) => (resolve = done)));
    return { load, cancelled: () => cancelled, resolve: (value: string) => resolve(value) };
  };

  it("goes on while one caller still waits, and is cancelled when the last one leaves: the next caller starts afresh, and a fresher value is never overwritten", async () => {
    const cache = new TargetCache<string>(1000, 10);
    const first = pendingLoad();
    const a = new AbortController();
    const b = new AbortController();
    const waitingA = cache.get("t", first.load, a.signal);
    const waitingB = cache.get("t", first.load, b.signal);
    a.abort(new Error("a left"));
    await expect(waitingA).rejects.toThrow("a left");
    expect(first.cancelled()?.aborted).toBe(false);
    b.abort(new Error("b left"));
    await expect(waitingB).rejects.toThrow("b left");
    expect(first.cancelled()?.aborted).toBe(true);
    // The next caller starts afresh rather than joining the cancelled load.
    const second = pendingLoad();
    const next = cache.get("t", second.load);
    second.resolve("fresh");
    await expect(next).resolves.toBe("fresh");
    first.resolve("stale");
    expect(await cache.get("t", second.load)).toBe("fresh");
  });

  it("a cancelled load that still brings a value (its calls were over, only rendering left) is kept for the next caller", async () => {
    const cache = new TargetCache<string>(1000, 10);
    const slow = pendingLoad();
    const gone = new AbortController();
    const waiting = cache.get("t", slow.load, gone.signal);
    gone.abort(new Error("deadline"));
    await expect(waiting).rejects.toThrow("deadline");
    expect(slow.cancelled()?.aborted).toBe(true);
    slow.resolve("rendered anyway");
    await new Promise((resolve) => setImmediate(resolve));
    expect(await cache.get("t", () => Promise.resolve("asked again"))).toBe("rendered anyway");
  });

  it("a caller leaving after the load settled changes nothing", async () => {
    const cache = new TargetCache<string>(1000, 10);
    const only = pendingLoad();
    const gone = new AbortController();
    const waiting = cache.get("t", only.load, gone.signal);
    only.resolve("kept");
    await expect(waiting).resolves.toBe("kept");
    gone.abort();
    expect(only.cancelled()?.aborted).toBe(false);
    expect(await cache.get("t", () => Promise.resolve("not asked"))).toBe("kept");
  });

  it("a caller whose signal has already aborted is refused at once and cancels nothing it did not start alone", async () => {
    const cache = new TargetCache<string>(1000, 10);
    const only = pendingLoad();
    const staying = cache.get("t", only.load);
    await expect(cache.get("t", only.load, AbortSignal.abort(new Error("gone")))).rejects.toThrow("gone");
    expect(only.cancelled()?.aborted).toBe(false);
    only.resolve("v");
    await expect(staying).resolves.toBe("v");
  });
});
