// Renders the bundled spec into one self-contained HTML page (Redoc inlined, no CDN, no network)
// at docs/dist/index.html.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { bundledJson, repoRoot, runBin } from "./lib/repo.mjs";

const output = path.join(repoRoot, "docs/dist/index.html");
mkdirSync(path.dirname(output), { recursive: true });
runBin(
  "redocly",
  [
    "build-docs",
    bundledJson,
    "--output",
    output,
    "--inlineBundle",
    "--title",
    "Huawei Cloud CodeArts package status APIs",
    // Examples are the point of this reference: show every response's, and every sample, expanded.
    "--openapi.expandResponses=all",
    "--openapi.hideDownloadButtons=false",
  ],
  { quiet: true },
);
console.log(`rendered ${path.relative(repoRoot, output)}`);
