// The client loads its signer and its redactor lazily; a browser may fail to load either (a
// missing chunk, a page gone offline). This makes one such module fail its first load.
import { vi } from "vitest";

/**
 * A fresh copy of the client (`src/index.ts`) whose lazy module `module` (a path under `src/`,
 * e.g. `signer.js`) fails to load once, then loads. Undo with `vi.doUnmock` and `vi.resetModules`.
 */
export async function clientFailingToLoadOnce(module: string): Promise<typeof import("../../src/index.js")> {
  vi.resetModules();
  let failures = 1;
  vi.doMock(`../../src/${module}`, async (importOriginal) => {
    if (failures-- > 0) throw new Error("Failed to fetch dynamically imported module");
    return importOriginal();
  });
  return import("../../src/index.js");
}
