// Every error class as a user gets it, from the built package (ESM and CommonJS): its `name` is
// the name it is exported under. A bundler renames a class that refers to itself in its own body
// (`class _ApiError`), and that name shows in stack traces, `util.inspect` and a logger's
// `error.constructor.name`.
import { createRequire } from "node:module";
import { describe, expect, test } from "vitest";

const require = createRequire(import.meta.url);
const builds = {
  esm: { index: await import("../dist/index.js"), signer: await import("../dist/signer.js") },
  cjs: { index: require("../dist/index.cjs") as Record<string, unknown>, signer: require("../dist/signer.cjs") as Record<string, unknown> },
};

const errorClasses = (entry: Record<string, unknown>) =>
  Object.entries(entry).filter((pair): pair is [string, Function] => typeof pair[1] === "function" && (pair[1] === Error || pair[1].prototype instanceof Error));

describe.each(Object.entries(builds))("the %s build", (_format, entries) => {
  test("exports the error classes the README lists", () => {
    expect(errorClasses(entries.index).map(([name]) => name)).toEqual(expect.arrayContaining(["CodeArtsError", "ApiError", "BadRequestError", "ResponseValidationError", "CredentialsError", "SignerLoadError"]));
  });

  test.each(["index", "signer"] as const)("every error class of the %s entry is named as it is exported, on the class and on its instances", (entry) => {
    for (const [exported, ErrorClass] of errorClasses(entries[entry])) {
      expect(ErrorClass.name).toBe(exported);
      // A class field sets an instance's name: it must say the same.
      const instance = construct(ErrorClass);
      if (instance) expect(instance.name).toBe(exported);
    }
  });
});

/** An instance, built with the details most constructors take; undefined when this one needs other arguments. */
function construct(ErrorClass: Function): Error | undefined {
  try {
    return Reflect.construct(ErrorClass, [{ status: 500, body: undefined, requestId: undefined, operationId: "x", issues: [], timeoutMs: 1, maxResponseBytes: 1 }]) as Error;
  } catch {
    return undefined;
  }
}
