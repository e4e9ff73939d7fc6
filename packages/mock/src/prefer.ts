// Picks which documented response answers a request, steered by the `Prefer` header
// (`code=401`, `example=Name`, or both), the convention Prism and other OpenAPI mocks use.
import type { ExampleChoice, OperationSpec, ResponseChoice } from "./spec.js";

/** The parts of a `Prefer` header the mock acts on. */
export interface Preference {
  code?: string;
  example?: string;
}

/** The response to serve, or why none matches. */
export type Selection =
  | { ok: true; response: ResponseChoice; example: ExampleChoice | undefined }
  | { ok: false; message: string };

/**
 * Parses `Prefer` header values (RFC 7240: preferences separated by `,`, parameters by `;`).
 * Preferences the mock does not know, such as `return=minimal`, are ignored as the RFC asks.
 */
export function parsePrefer(header: string | string[] | undefined): Preference {
  const out: Preference = {};
  const text = Array.isArray(header) ? header.join(",") : (header ?? "");
  for (const part of text.split(/[,;]/)) {
    const eq = part.indexOf("=");
    if (eq === -1) continue;
    const key = part.slice(0, eq).trim().toLowerCase();
    const value = part.slice(eq + 1).trim().replace(/^"(.*)"$/, "$1");
    if (key === "code") out.code = value;
    else if (key === "example") out.example = value;
  }
  return out;
}

/** Selects the response for an operation: the preferred one, else the first documented 2xx example. */
export function selectResponse(operation: OperationSpec, preference: Preference): Selection {
  const { code, example } = preference;
  if (code === undefined && example === undefined) {
    const response = operation.responses.find((r) => r.status >= 200 && r.status < 300 && (r.examples.length > 0 || r.noContent));
    if (!response) return { ok: false, message: `${operation.operationId} documents no 2xx example to serve by default; ${choices(operation)}` };
    return { ok: true, response, example: response.examples[0] };
  }

  let candidates = operation.responses;
  if (code !== undefined) {
    const exact = candidates.filter((r) => r.key === code);
    // A range key such as 4XX covers a preferred code the spec does not list on its own.
    const ranged = /^[1-5]\d\d$/.test(code) ? candidates.filter((r) => r.key.toUpperCase() === `${code[0]}XX`) : [];
    candidates = exact.length > 0 ? exact : ranged;
    if (candidates.length === 0) return { ok: false, message: `${operation.operationId} documents no response for code=${code}; ${choices(operation)}` };
  }

  if (example === undefined) {
    const response = candidates[0];
    if (!response || (response.examples.length === 0 && !response.noContent)) {
      return { ok: false, message: `${operation.operationId} documents no example for code=${code ?? ""}; ${choices(operation)}` };
    }
    const status = code !== undefined && response.key.toUpperCase().endsWith("XX") ? Number(code) : response.status;
    return { ok: true, response: { ...response, status }, example: response.examples[0] };
  }

  for (const response of candidates) {
    const found = response.examples.find((e) => e.name === example);
    if (found) {
      const status = code !== undefined && response.key.toUpperCase().endsWith("XX") ? Number(code) : response.status;
      return { ok: true, response: { ...response, status }, example: found };
    }
  }
  const scope = code === undefined ? "" : ` under code=${code}`;
  return { ok: false, message: `${operation.operationId} documents no example named ${JSON.stringify(example)}${scope}; ${choices(operation)}` };
}

/** Lists every choice a `Prefer` header can make for an operation, for error messages. */
function choices(operation: OperationSpec): string {
  const list = operation.responses.map((r) => {
    const names = r.examples.map((e) => e.name).filter((n): n is string => n !== undefined);
    return names.length > 0 ? `code=${r.key} (example=${names.join(" | ")})` : `code=${r.key}`;
  });
  return `available: ${list.join(", ")}`;
}
