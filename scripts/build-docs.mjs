// Renders the API reference into one self-contained HTML page: the bundled spec with its generated
// code samples, shown by Scalar inlined (scripts/lib/reference-page.mjs). No CDN, no network.
//   node scripts/build-docs.mjs                      docs/dist/index.html, the static reference
//   node scripts/build-docs.mjs --mock --output F    the page the mock serves at /docs, with try-it
// Run from the package that depends on @scalar/api-reference (its bundle is resolved from there).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { bundledDir, repoRoot } from "./lib/repo.mjs";
import { renderReferencePage } from "./lib/reference-page.mjs";

const { values } = parseArgs({ options: { mock: { type: "boolean" }, output: { type: "string" } } });
const output = path.resolve(values.output ?? path.join(repoRoot, "docs/dist/index.html"));
const html = renderReferencePage({
  // Dereferenced: Scalar 1.76 shows an example reached through a $ref'd response as the raw
  // `{"$ref": …}` instead of its value.
  bundle: JSON.parse(readFileSync(path.join(bundledDir, "openapi.dereferenced.json"), "utf8")),
  samples: JSON.parse(readFileSync(path.join(bundledDir, "code-samples.json"), "utf8")),
  mock: values.mock === true,
  resolveFrom: path.join(process.cwd(), "package.json"),
});
mkdirSync(path.dirname(output), { recursive: true });
writeFileSync(output, html);
console.log(`rendered ${path.relative(repoRoot, output)} (${Math.round(html.length / 1024)} KiB)`);
