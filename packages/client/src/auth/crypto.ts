// The two primitives signing needs, SHA-256 and HMAC-SHA256 as lower-case hex: from node:crypto
// where the runtime has it (Node, Bun, Deno), which hashes a request in microseconds, and from
// WebCrypto elsewhere (browsers), whose every operation is a promise settled off the main
// thread. Both give the same bytes; the signer tests run against each.
import { nodeModuleNow } from "../environment.js";

const utf8 = new TextEncoder();
const HEX = "0123456789abcdef";

let nodeCrypto: typeof import("node:crypto") | null | undefined;
// Looked up on first use, not at import: a process that never signs never loads node:crypto.
const node = () => (nodeCrypto === undefined ? (nodeCrypto = nodeModuleNow("node:crypto") ?? null) : nodeCrypto);

let lastKey: { text: string; object: import("node:crypto").KeyObject } | undefined;

/** Whether this runtime can sign: node:crypto or WebCrypto is there. */
export function canSign(): boolean {
  return !!node() || !!globalSubtle();
}

/**
 * Hex SHA-256 of a string (as UTF-8) or of bytes. With `subtle`, by that WebCrypto; otherwise
 * by node:crypto where there is one, else by `globalThis.crypto.subtle`.
 */
export async function sha256Hex(data: string | Uint8Array | ArrayBuffer, subtle?: SubtleCrypto): Promise<string> {
  const crypto = subtle ? undefined : node();
  if (crypto) {
    const bytes = typeof data === "string" || data instanceof Uint8Array ? data : new Uint8Array(data);
    // The one-shot hash (Node 20.12 and later) builds no Hash object.
    return crypto.hash ? crypto.hash("sha256", bytes, "hex") : crypto.createHash("sha256").update(bytes).digest("hex");
  }
  const digest = await webCrypto(subtle).digest("SHA-256", typeof data === "string" ? utf8.encode(data) : (data as BufferSource));
  return hex(new Uint8Array(digest));
}

/** Hex HMAC-SHA256 of `message` (UTF-8) keyed with `key` (UTF-8), by the same choice of implementation as {@link sha256Hex}. */
export async function hmacSha256Hex(key: string, message: string, subtle?: SubtleCrypto): Promise<string> {
  const crypto = subtle ? undefined : node();
  if (crypto) {
    // One client signs every request with the same secret key: its key object is made once.
    if (lastKey?.text !== key) lastKey = { text: key, object: crypto.createSecretKey(utf8.encode(key)) };
    return crypto.createHmac("sha256", lastKey.object).update(message).digest("hex");
  }
  const impl = webCrypto(subtle);
  const cryptoKey = await impl.importKey("raw", utf8.encode(key), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return hex(new Uint8Array(await impl.sign("HMAC", cryptoKey, utf8.encode(message))));
}

function globalSubtle(): SubtleCrypto | undefined {
  // Read at call time, not import time, so a polyfill installed after import still works.
  return (globalThis as { crypto?: { subtle?: SubtleCrypto } }).crypto?.subtle;
}

function webCrypto(subtle: SubtleCrypto | undefined): SubtleCrypto {
  const found = subtle ?? globalSubtle();
  if (found === undefined) {
    throw new Error("Neither node:crypto nor WebCrypto (globalThis.crypto.subtle) is available here (Node 18 needs --experimental-global-webcrypto); pass the subtle option");
  }
  return found;
}

function hex(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += HEX[b >> 4]! + HEX[b & 15]!;
  return out;
}
