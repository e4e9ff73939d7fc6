// The exporter's bound on collections in flight, on its own: at most `size` holders, the others
// served in arrival order, a waiter that gives up leaves the queue, and no slot is lost or made.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Slots } from "../src/exporter/slots.js";

describe("Slots", () => {
  it("hands out `size` slots at once, then serves waiters in arrival order as slots come back", async () => {
    const slots = new Slots(2);
    const first = await slots.acquire();
    const second = await slots.acquire();
    const order: string[] = [];
    const third = slots.acquire().then((release) => (order.push("third"), release));
    const fourth = slots.acquire().then((release) => (order.push("fourth"), release));
    expect([slots.inUse, slots.waiting]).toEqual([2, 2]);
    first();
    (await third)();
    second();
    (await fourth)();
    expect(order).toEqual(["third", "fourth"]);
    expect([slots.inUse, slots.waiting]).toEqual([0, 0]);
  });

  it("a waiter whose signal aborts leaves the queue with the signal's reason, and the next one gets the slot", async () => {
    const slots = new Slots(1);
    const held = await slots.acquire();
    const leaving = new AbortController();
    const gaveUp = slots.acquire(leaving.signal);
    const next = slots.acquire();
    leaving.abort(new Error("deadline"));
    await expect(gaveUp).rejects.toThrow("deadline");
    expect(slots.waiting).toBe(1);
    held();
    (await next)();
    expect(slots.inUse).toBe(0);
  });

  it("releasing twice gives back one slot", async () => {
    const slots = new Slots(1);
    const release = await slots.acquire();
    release();
    release();
    expect(slots.inUse).toBe(0);
    await slots.acquire();
    expect(slots.inUse).toBe(1);
    await expect(slots.acquire(AbortSignal.timeout(10))).rejects.toBeDefined();
  });

  it("whatever the order of acquires, aborts and releases, never more than `size` are held and none is lost", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 4 }), fc.array(fc.constantFrom("acquire", "abort", "release"), { maxLength: 40 }), async (size, steps) => {
        const slots = new Slots(size);
        const held: Array<() => void> = [];
        const waiting: AbortController[] = [];
        let most = 0;
        for (const step of steps) {
          if (step === "acquire") {
            const control = new AbortController();
            waiting.push(control);
            slots.acquire(control.signal).then(
              (release) => held.push(release),
              () => undefined,
            );
          } else if (step === "abort") waiting.shift()?.abort();
          else held.shift()?.();
          await new Promise((resolve) => setImmediate(resolve));
          most = Math.max(most, slots.inUse);
          expect(slots.inUse).toBe(held.length);
        }
        expect(most).toBeLessThanOrEqual(size);
        for (const release of held.splice(0)) release();
        await new Promise((resolve) => setImmediate(resolve));
        for (const release of held.splice(0)) release();
        for (const control of waiting) control.abort();
        await new Promise((resolve) => setImmediate(resolve));
        for (const release of held.splice(0)) release();
        expect(slots.inUse).toBe(0);
      }),
    );
  });
});
