// The redactor itself (src/redact.ts), on the shapes a failure can take.
import { inspect } from "node:util";
import { expect, test } from "vitest";
import { createRedactor } from "../src/redact.js";

const SECRET = 'tok"en\\/+%coreSECRET01';
const redact = createRedactor([SECRET, undefined, "short", 42]);

test("every form of a secret goes, in strings, keys, nested values and cause chains; the rest stays", () => {
  const cause = new TypeError(`inner ${encodeURIComponent(SECRET)}`);
  const error = Object.assign(new Error(`outer ${SECRET}`, { cause }), { body: { [SECRET]: [JSON.stringify(SECRET).slice(1, -1), 7, null] } });
  expect(redact(error)).toBe(error);
  expect(error.message).toBe("outer [REDACTED]");
  expect(error.stack).not.toContain("coreSECRET01");
  expect(error.body).toEqual({ "[REDACTED]": ["[REDACTED]", 7, null] });
  expect(cause.message).toBe("inner [REDACTED]");
  expect(inspect(error, { depth: 10, showHidden: true })).not.toContain("coreSECRET01");
  // Enumerability is kept: JSON shows the body, not the message or the stack.
  expect(Object.keys(JSON.parse(JSON.stringify(error)))).toEqual(["body"]);
});

test("values shorter than 8 characters and values that are not strings are not searched for", () => {
  expect(redact("short 42 stays")).toBe("short 42 stays");
});

test("a cycle ends, a body nested deeper than the call stack is walked, a frozen object is replaced whole", () => {
  const cyclic: Record<string, unknown> = { text: SECRET };
  cyclic.self = cyclic;
  expect(redact(cyclic)).toMatchObject({ text: "[REDACTED]" });
  let deep: Record<string, unknown> = { leaf: SECRET };
  const root = deep;
  for (let i = 0; i < 100_000; i++) deep = deep.next = { leaf: SECRET };
  redact(root);
  expect(deep.leaf).toBe("[REDACTED]");
  const holder = { frozen: Object.freeze({ text: SECRET }), kept: "x" };
  expect(redact(holder)).toEqual({ frozen: "[REDACTED]", kept: "x" });
});

test("a secret key with a lone surrogate (no URL can carry it) is still redacted as it is", () => {
  expect(createRedactor(["sk\ud800-0123456789"])("a sk\ud800-0123456789 b")).toBe("a [REDACTED] b");
});
