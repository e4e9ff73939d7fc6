// Whatever a server answers (any status line, headers Node lets it write, any bytes in the body,
// lies about the content type and encoding, credentials echoed in every encoding), a call either
// resolves or rejects with a CodeArtsError subclass, and no rejection holds a credential:
// resource methods and the raw client.GET, with a token and with AK/SK.
import { inspect } from "node:util";
import fc from "fast-check";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startTestServer, type TestServer } from "@codearts-package-status/test-support";
import { CodeArtsError, createClient, type Credentials } from "../src/index.js";
import { PROJECT_ID } from "./support/fixtures.js";

// Characters JSON and percent-encoding both change, and a core every encoding keeps as it is.
const TOKEN = 'MIIT"tok\\en/+=%~coreTOKEN0123';
const SECURITY_TOKEN = 'sts"sec\\urity/+=%coreSECURITY4567';
const SECRET_KEY = "sk-coreSECRETKEY89-0123456789";
const CORES = ["coreTOKEN0123", "coreSECURITY4567", "coreSECRETKEY89"];

/** A piece of a body or header: text, or a credential of the request in one encoding. */
type Piece = string | { secret: "token" | "securityToken" | "secretKey"; encoding: "raw" | "json" | "percent" };
/** What the server answers: status line, headers and body, or a reset connection. */
interface Answer {
  status: number;
  reason: string | undefined;
  headers: [string, Piece[]][];
  body: Piece[] | Uint8Array;
}

const secretPiece: fc.Arbitrary<Piece> = fc.record({
  secret: fc.constantFrom("token" as const, "securityToken" as const, "secretKey" as const),
  encoding: fc.constantFrom("raw" as const, "json" as const, "percent" as const),
});
const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 30 });
// What Node lets a header value hold: tab, printable ASCII and Latin-1 above 0x7f.
const headerText = fc.string({ unit: fc.oneof(fc.constant("\t"), fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), fc.integer({ min: 0x80, max: 0xff }).map((c) => String.fromCharCode(c))), maxLength: 40 });
const headerName = fc.string({ unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789-!#$%&'*+.^_`|~"), minLength: 1, maxLength: 20 });

// Left out: framing lies (Content-Length, Transfer-Encoding, Connection) only make the client
// wait for its timeout, which the fault suite covers. Location is in: redirects are refused.
const FRAMING = new Set(["content-length", "transfer-encoding", "connection", "keep-alive", "upgrade", "trailer"]);
const headers = fc.array(
  fc.oneof(
    fc.tuple(headerName, fc.array(fc.oneof(headerText, secretPiece), { maxLength: 3 })),
    fc.tuple(fc.constantFrom("content-type", "content-encoding", "x-request-id", "retry-after", "retry-after-ms", "location"), fc.array(fc.oneof(headerText, secretPiece, fc.constantFrom("application/json", "text/html; charset=utf-8", "gzip", "deflate", "br", "-5", "1e999", "Tue, 01 Jan 2030 00:00:00 GMT", "http://127.0.0.2:1/", "//elsewhere.invalid/x?token=", "https://[::1]:9/")), { maxLength: 2 })),
  ),
  { maxLength: 5 },
).map((list) => list.filter(([name]) => !FRAMING.has(name.toLowerCase())) as [string, Piece[]][]);

const json = fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value));
const bodyText = fc.oneof(
  json,
  json.chain((text) => fc.nat({ max: text.length }).map((n) => text.slice(0, n))),
  fc.constantFrom("", " ", "null", "1e999", "-0", "123456789012345678901234567890", '{"result":', "<html><title>oops</title></html>", '{"error_code":"APIG.0301","error_msg":"'),
  fc.nat({ max: 3000 }).map((depth) => `${"[".repeat(depth)}${"]".repeat(depth)}`),
  fc.nat({ max: 3000 }).map((depth) => `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`),
  printable,
);
const body = fc.oneof(
  fc.array(fc.oneof(bodyText, secretPiece), { minLength: 1, maxLength: 4 }),
  // Bytes, invalid UTF-8 included.
  fc.uint8Array({ maxLength: 300 }),
);
const answer: fc.Arbitrary<Answer> = fc.record({
  status: fc.oneof(fc.integer({ min: 200, max: 599 }), fc.constantFrom(100, 102, 103, 200, 204, 205, 300, 301, 302, 304, 307, 308, 400, 401, 404, 429, 500, 503)),
  reason: fc.option(printable, { nil: undefined }),
  headers,
  body,
});

const CREDENTIALS: Credentials[] = [{ token: TOKEN }, { accessKey: "AKFUZZ0001", secretKey: SECRET_KEY, securityToken: SECURITY_TOKEN }];

let current: Answer | undefined;
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer((request, response) => {
    const secrets = { token: String(request.headers["x-auth-token"] ?? ""), securityToken: String(request.headers["x-security-token"] ?? ""), secretKey: request.headers.authorization ? SECRET_KEY : "" };
    // (The secret key is never sent; a signed request stands for a server that knew it anyway.)
    const text = (pieces: Piece[]) =>
      pieces
        .map((piece) => {
          if (typeof piece === "string") return piece;
          const value = secrets[piece.secret];
          return piece.encoding === "raw" ? value : piece.encoding === "json" ? JSON.stringify(value).slice(1, -1) : encodeURIComponent(value);
        })
        .join("");
    const { status, reason, headers: answerHeaders, body: answerBody } = current!;
    try {
      const head: [string, string][] = answerHeaders.map(([name, pieces]) => [name, text(pieces)]);
      const bytes = answerBody instanceof Uint8Array ? answerBody : Buffer.from(text(answerBody), "latin1");
      response.writeHead(status, reason, head.flat());
      response.end(bytes);
    } catch {
      // A status or header this Node refuses to write: the connection goes instead.
      response.socket?.destroy();
    }
  });
});
afterAll(() => server.close());

/** Every way an error is turned into text, down its cause chain. A rendering that throws (a body nested too deep for JSON.stringify) shows nothing. */
function renderings(error: unknown): string[] {
  const safely = (render: () => string | undefined) => {
    try {
      return render() ?? "";
    } catch {
      return "";
    }
  };
  const texts: string[] = [];
  for (let e = error as { cause?: unknown } | undefined, depth = 0; e && depth < 10; e = e.cause as typeof e, depth++) {
    texts.push(safely(() => String((e as Error).message)), safely(() => String((e as Error).stack)), safely(() => inspect(e, { depth: 8, showHidden: true })), safely(() => JSON.stringify(e)));
  }
  return texts;
}

function expectCleanRejection(error: unknown) {
  expect(error, inspect(error)).toBeInstanceOf(CodeArtsError);
  for (const text of renderings(error)) for (const core of CORES) expect(text).not.toContain(core);
}

test("any response from the server ends in a result or a CodeArtsError without a credential, for resource methods and raw calls", async () => {
  await fc.assert(
    fc.asyncProperty(answer, fc.constantFrom(...CREDENTIALS), fc.boolean(), async (given, credentials, validateResponses) => {
      current = given;
      const client = createClient({ endpoints: { check: server.url }, credentials, maxRetries: 1, retry: { initialDelayMs: 1, maxRetryAfterMs: 5 }, timeoutMs: 400, validateResponses });
      const resource = await client.check.showTenantPackageStatus({ project_id: PROJECT_ID }).then(
        () => undefined,
        (error: unknown) => error,
      );
      if (resource !== undefined) expectCleanRejection(resource);
      const raw = await client.GET("/v4/tenant/tenant-package-status", { params: { query: { project_id: PROJECT_ID } } }).then(
        ({ error }) => {
          // A raw call resolves with the parsed error body of a non-2xx: it must be clean as well.
          for (const text of renderings({ message: JSON.stringify(error) })) for (const core of CORES) expect(text).not.toContain(core);
          return undefined;
        },
        (error: unknown) => error,
      );
      if (raw !== undefined) expectCleanRejection(raw);
    }),
    { numRuns: 150 },
  );
}, 60_000);
