// Renders the API reference: the bundled spec with the generated code samples attached as
// `x-codeSamples`, shown by Scalar's standalone bundle inlined into one HTML file. Nothing is
// fetched: no CDN, no fonts, no telemetry, no proxy, no AI agent. Two flavours share this code:
// the static page (docs/dist/index.html) and the page the mock serves at /docs, whose try-it
// sends every operation to the mock that served it.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { operationsOf } from "./spec.mjs";

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/** The token the mock's page fills in: the mock accepts any non-empty token, and the page only talks to the mock. */
export const TRY_IT_TOKEN = "try-it-token-for-the-mock";

/** The `Prefer` header the mock's page offers on every operation: one value per documented response and example. */
export function preferChoices(document, operation) {
  const choices = [];
  for (const [status, response] of Object.entries(operation.responses)) {
    choices.push(`code=${status}`);
    const examples = Object.keys(response.content?.["application/json"]?.examples ?? {});
    if (examples.length > 1) for (const name of examples) choices.push(`code=${status}, example=${name}`);
  }
  return choices;
}

function getStartedText({ mock }) {
  const tryIt = mock
    ? "This page is served by the mock: **Test Request** on any operation sends it to the mock, with a token already filled in. Pick a `Prefer` value (`code=401`, …) to get the documented errors."
    : "To try every operation without an account, run the mock with this reference next to it: `npx --package @codearts-package-status/mock codearts-package-status-mock --docs` (in the repository: `node packages/mock/bin/codearts-package-status-mock.js --docs`), then open the `/docs` address it prints. Each operation's **Test Request** then sends it to the mock and shows the documented answers, errors included (`Prefer: code=401`).";
  return [
    "## Get started",
    "",
    "Every operation below shows code samples generated from this document and run in CI against the mock: `curl` with an IAM token, the typed TypeScript client, the command-line tool, and the client's raw `client.GET` form.",
    "",
    "- **TypeScript client** (`@codearts-package-status/client`): `npm install @codearts-package-status/client`, then",
    "  `const client = createClient({ region: \"cn-north-4\", credentials: { token } })` and `await client.check.showTenantPackageStatus({ project_id })`.",
    "  IAM tokens and AK/SK signing, regions, retries, timeouts and typed errors: see the package's README.",
    "- **Command-line tool** (`@codearts-package-status/cli`): `npm install --global @codearts-package-status/cli`, then",
    "  `codearts-package-status --region cn-north-4 --project-id … --tenant-id …` prints one table of the tenant's packages across the three services (`--json` for scripts, `--mock` to try it without an account).",
    "- **Mock server** (`@codearts-package-status/mock`): `codearts-package-status-mock` serves every operation on 127.0.0.1 with the documented examples; `--docs` serves this reference next to it.",
    "- **MCP server** (`@codearts-package-status/mcp`): `codearts-package-status-mcp` gives an assistant (Claude Desktop, VS Code, any Model Context Protocol client) one read-only tool per operation below and `package_report`, the CLI's report with its verdict; it takes the CLI's options and credentials (`--mock` to try it). Client configurations: see the package's README.",
    "- **This document** (`@codearts-package-status/openapi`): `openapi.yaml`, `openapi.json`, `openapi.dereferenced.json`, and the samples as `code-samples.json`.",
    "",
    "The packages are not on the npm registry yet: until the first release, build them from the repository and install the tarballs `pnpm pack:all` makes (see the repository's README).",
    "",
    tryIt,
  ].join("\n");
}

/** Each security scheme's explanation (the AK/SK algorithm among them), which Scalar shows only for the scheme selected. */
function authenticationText(document) {
  const schemes = Object.entries(document.components?.securitySchemes ?? {});
  if (schemes.length === 0) return "";
  return [
    "## Authentication",
    "",
    ...schemes.flatMap(([name, scheme]) => [
      `### ${name}${scheme.type === "apiKey" ? `: the \`${scheme.name}\` ${scheme.in}` : ""}`,
      "",
      scheme.description ?? "",
      "",
    ]),
  ].join("\n");
}

/** The spec as the page shows it: samples attached, a start section added, and for the mock its servers and a `Prefer` header. */
export function referenceDocument(bundle, samples, { mock }) {
  const document = structuredClone(bundle);
  document.info.description = `${document.info.description ?? ""}\n\n${getStartedText({ mock })}\n\n${authenticationText(bundle)}`;
  for (const operation of operationsOf(bundle)) {
    const item = document.paths[operation.path];
    const node = item[operation.method];
    const set = samples.operations[operation.operationId];
    if (!set) throw new Error(`no code samples for ${operation.operationId}: run pnpm generate`);
    node["x-codeSamples"] = set.samples;
    if (set.omitted.length > 0) {
      node.description = `${node.description ?? ""}\n\n${set.omitted.map((o) => `No ${o.label} sample: ${o.reason}`).join("\n\n")}`;
    }
    if (mock) {
      const choices = preferChoices(bundle, operation);
      node.parameters = [
        ...(node.parameters ?? []),
        {
          name: "Prefer",
          in: "header",
          required: false,
          description:
            "Mock only: which documented response the mock answers with (`code=401`, or `code=200, example=Name` among several examples). Without it, the mock answers the first documented 2xx example. The real API ignores it.",
          schema: { type: "string", enum: choices },
          example: choices[0],
        },
      ];
    }
  }
  if (mock) {
    // The page's own origin is filled in by the page itself, which knows the port it was served from.
    for (const item of Object.values(document.paths)) {
      delete item.servers;
      for (const method of METHODS) if (item[method]) delete item[method].servers;
    }
    document.servers = [{ url: "/", description: "The mock server that serves this page." }];
  }
  return document;
}

/** The configuration handed to Scalar: everything that would reach the network is off. */
export function scalarConfiguration(document, { mock }) {
  return {
    content: document,
    title: document.info.title,
    // Scalar's defaults fetch Inter and JetBrains Mono from its CDN; the page uses system fonts.
    withDefaultFonts: false,
    telemetry: false,
    // An empty proxy sends try-it requests straight to the server, never through proxy.scalar.com.
    proxyUrl: "",
    externalUrls: { dashboardUrl: "", registryUrl: "", proxyUrl: "", apiBaseUrl: "" },
    agent: { disabled: true },
    mcp: { disabled: true },
    showDeveloperTools: "never",
    hideClientButton: !mock,
    hideTestRequestButton: !mock,
    documentDownloadType: "json",
    defaultOpenAllTags: true,
    expandAllResponses: true,
    expandAllSchemaProperties: false,
    orderSchemaPropertiesBy: "preserve",
    // Only the generated, tested samples: Scalar's own clients would show untested code.
    hiddenClients: true,
    persistAuth: false,
    ...(mock ? { authentication: { preferredSecurityScheme: "IamToken", securitySchemes: { IamToken: { value: TRY_IT_TOKEN } } } } : {}),
  };
}

// Scalar's bundle carries @font-face rules for Inter and JetBrains Mono on fonts.scalar.com (14
// files). `withDefaultFonts: false` keeps them out of the page's styles, but they are still in the
// inlined script, where a future Scalar or another code path could apply them: the browser would
// then ask the CDN, the Content-Security-Policy (`font-src data:`) refuse each file with a console
// error, and the text fall back to system fonts anyway. The page uses system fonts, so the rules go.
const CDN_FONT_FACE = /@font-face\s*\{[^{}]*?url\(\s*["']?https:\/\/fonts\.scalar\.com\/[^{}]*\}\n?/g;

function withoutCdnFonts(bundle) {
  const stripped = bundle.replace(CDN_FONT_FACE, "");
  // A rule written some other way in a later Scalar must not slip through.
  if (stripped.includes("fonts.scalar.com")) throw new Error("Scalar's standalone bundle names fonts.scalar.com outside an @font-face rule this script recognises: update CDN_FONT_FACE");
  return stripped;
}

const scriptSafe = (text) => text.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\!--");

/**
 * One self-contained HTML page. `resolveFrom` is a file of the package that depends on
 * `@scalar/api-reference`, whose standalone bundle is inlined.
 */
export function renderReferencePage({ bundle, samples, mock, resolveFrom }) {
  const document = referenceDocument(bundle, samples, { mock });
  // The package exports no path to its standalone bundle: it sits next to its main entry.
  const entry = createRequire(resolveFrom).resolve("@scalar/api-reference");
  const scalar = withoutCdnFonts(readFileSync(path.join(path.dirname(entry), "browser/standalone.js"), "utf8"));
  const configuration = JSON.stringify(scalarConfiguration(document, { mock })).replace(/</g, "\\u003c");
  // The mock's page points try-it at the origin it was served from, whatever the port.
  const runtime = mock ? "configuration.servers = [{ url: window.location.origin, description: \"The mock server that serves this page.\" }];" : "";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data: blob:; font-src data:; connect-src ${mock ? "'self'" : "'none'"}; worker-src blob:">
<title>${document.info.title.replace(/[<&]/g, (c) => (c === "<" ? "&lt;" : "&amp;"))}${mock ? " (mock)" : ""}</title>
<link rel="icon" href="data:,">
</head>
<body>
<div id="app"></div>
<script>${scriptSafe(scalar)}</script>
<script>
const configuration = ${configuration};
${runtime}
Scalar.createApiReference("#app", configuration);
</script>
</body>
</html>
`;
}
