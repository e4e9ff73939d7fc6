// `exporter --web-config FILE`: exporter-toolkit's web configuration file, the web-config.yml
// operators already give node_exporter and Prometheus
// (https://github.com/prometheus/exporter-toolkit/blob/master/docs/web-configuration.md): TLS,
// client certificates, bcrypt basic auth and a fixed set of security headers. It is read once,
// at start; what this exporter cannot honour is refused by name, never ignored, so that a file
// written for node_exporter never silently serves less protection than it asks for.
import { createHash, X509Certificate } from "node:crypto";
import type { Stats } from "node:fs";
import { constants, open, stat } from "node:fs/promises";
import { createServer as createHttpServer, type RequestListener, type Server } from "node:http";
import { createServer as createHttpsServer, type ServerOptions } from "node:https";
import path from "node:path";
import { createSecureContext, type SecureVersion, type TLSSocket } from "node:tls";

/** The largest web config, certificate or key file read, in bytes (1 MiB), as for the client's files. */
export const MAX_WEB_CONFIG_BYTES = 1024 * 1024;

/** Why a web config was refused: one line, never a password, a hash or the file's text. */
export class WebConfigError extends Error {
  override name = "WebConfigError";
}

/** What the exporter serves with: made by {@link loadWebConfig}. */
export interface WebConfig {
  /** `https` when the file configures TLS. */
  scheme: "http" | "https";
  /** The HTTP or HTTPS server around `listener`, with the basic-auth check and headers in front of it. */
  createServer(listener: RequestListener): Server;
}

/** No file: plain HTTP, no authentication, as before --web-config. */
export const PLAIN_HTTP: WebConfig = { scheme: "http", createServer: (listener) => createHttpServer(listener) };

const TLS_KEYS = ["cert_file", "key_file", "client_ca_file", "client_auth_type", "min_version", "max_version"] as const;
// exporter-toolkit's keys this exporter does not implement: named, so the refusal says why.
const UNSUPPORTED: Readonly<Record<string, string>> = {
  "tls_server_config.cert": "give cert_file",
  "tls_server_config.key": "give key_file",
  "tls_server_config.client_ca": "give client_ca_file",
  "tls_server_config.client_allowed_sans": "",
  "tls_server_config.cipher_suites": "Node.js's defaults apply",
  "tls_server_config.curve_preferences": "Node.js's defaults apply",
  "tls_server_config.prefer_server_cipher_suites": "",
  rate_limit: "",
};
const CLIENT_AUTH_TYPES = ["NoClientCert", "RequestClientCert", "RequireAnyClientCert", "VerifyClientCertIfGiven", "RequireAndVerifyClientCert"] as const;
type ClientAuthType = (typeof CLIENT_AUTH_TYPES)[number];
const TLS_VERSIONS: Readonly<Record<string, SecureVersion>> = { TLS12: "TLSv1.2", TLS13: "TLSv1.3" };
// exporter-toolkit's list, with the values it checks: a value of `null` is free text.
const HEADERS: Readonly<Record<string, readonly string[] | null>> = {
  "Strict-Transport-Security": null,
  "X-Content-Type-Options": ["nosniff"],
  "X-Frame-Options": ["deny", "sameorigin"],
  "X-XSS-Protection": null,
  "Content-Security-Policy": null,
};
// bcrypt's modular crypt format: $2a$, $2b$ or $2y$ (htpasswd's), a two-digit cost, 53 characters of salt and hash.
const BCRYPT = /^\$2[aby]\$(\d\d)\$[./A-Za-z0-9]{53}$/;
// At most this many verified credentials are remembered; a full memory is emptied, not grown.
const MAX_CACHED_CREDENTIALS = 1000;

/**
 * Reads and checks the web config at `file`, and loads the certificates it names; rejects with a
 * {@link WebConfigError} (one line, without the file's text) on the first problem.
 */
export async function loadWebConfig(file: string): Promise<WebConfig> {
  const { parse } = await import("yaml");
  const text = await readBounded(file, "");
  let document: unknown;
  try {
    document = parse(text, { prettyErrors: false, uniqueKeys: true });
  } catch (error) {
    // The parser's message quotes the offending line, which may hold a hash: only where it is.
    const { code, pos } = error as { code?: unknown; pos?: unknown };
    const offset = Array.isArray(pos) && typeof pos[0] === "number" ? pos[0] : undefined;
    const before = offset === undefined ? undefined : text.slice(0, offset).split("\n");
    const where = before ? ` at line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}` : "";
    throw new WebConfigError(`is not YAML: ${typeof code === "string" ? code : "syntax error"}${where}`);
  }
  if (document === null || document === undefined) return PLAIN_HTTP;
  const root = mapping(document, "the file");
  refuseUnknown(root, "", ["tls_server_config", "http_server_config", "basic_auth_users"]);

  const headers = headersFrom(root.http_server_config);
  const users = usersFrom(root.basic_auth_users);
  const tls = await tlsFrom(root.tls_server_config, path.dirname(path.resolve(file)));
  const guarded = guard(users, headers);
  if (!tls) return { scheme: "http", createServer: (listener) => createHttpServer(guarded(listener)) };
  return {
    scheme: "https",
    createServer: (listener) => {
      const server = createHttpsServer(tls.options, guarded(listener));
      // node:https has no "require a certificate but do not verify it", nor "verify only if
      // given": both are checked once the handshake is done, and the connection dropped.
      if (tls.clientAuth === "RequireAnyClientCert" || tls.clientAuth === "VerifyClientCertIfGiven") {
        server.on("secureConnection", (socket: TLSSocket) => {
          const given = Object.keys(socket.getPeerCertificate()).length > 0;
          if (tls.clientAuth === "RequireAnyClientCert" ? !given : given && !socket.authorized) socket.destroy();
        });
      }
      return server;
    },
  };
}

type Mapping = Record<string, unknown>;

function mapping(value: unknown, name: string): Mapping {
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new WebConfigError(`${name} is not a mapping`);
  return value as Mapping;
}

// A key is user text: quoted, cut short (the line is escaped where it is written).
const quoted = (key: string): string => JSON.stringify(key.length > 64 ? `${key.slice(0, 64)}…` : key);

function refuseUnknown(value: Mapping, prefix: string, known: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const name = `${prefix}${key}`;
    const why = UNSUPPORTED[name];
    if (why !== undefined) throw new WebConfigError(`${name} is not supported${why ? `: ${why}` : ""}`);
    throw new WebConfigError(`unknown key ${quoted(name)}`);
  }
}

function text(value: unknown, name: string): string {
  if (typeof value !== "string" || value === "") throw new WebConfigError(`${name} must be a non-empty string`);
  return value;
}

function headersFrom(value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  const config = mapping(value, "http_server_config");
  refuseUnknown(config, "http_server_config.", ["headers", "http2"]);
  // node:https serves HTTP/1.1 only; `http2: false` asks for exactly that.
  if (config.http2 !== undefined && config.http2 !== false) throw new WebConfigError("http_server_config.http2: true is not supported: the exporter serves HTTP/1.1 (set http2: false or leave it out)");
  if (config.headers === undefined || config.headers === null) return {};
  const headers: Record<string, string> = {};
  for (const [name, given] of Object.entries(mapping(config.headers, "http_server_config.headers"))) {
    if (!Object.hasOwn(HEADERS, name)) throw new WebConfigError(`http_server_config.headers: header ${quoted(name)} cannot be configured (only ${Object.keys(HEADERS).join(", ")})`);
    if (typeof given !== "string") throw new WebConfigError(`http_server_config.headers: ${name} must be a string`);
    const allowed = HEADERS[name];
    if (allowed && !allowed.includes(given)) throw new WebConfigError(`http_server_config.headers: ${name} must be ${allowed.join(" or ")}`);
    // A blank value leaves the header unset, as exporter-toolkit does.
    if (given === "") continue;
    if (/[^\t\x20-\x7e]/.test(given)) throw new WebConfigError(`http_server_config.headers: ${name} holds a character a header cannot carry`);
    headers[name] = given;
  }
  return headers;
}

function usersFrom(value: unknown): Map<string, string> {
  const users = new Map<string, string>();
  if (value === undefined || value === null) return users;
  for (const [user, hash] of Object.entries(mapping(value, "basic_auth_users"))) {
    // Never the value in the message: a password pasted in place of its hash is a password.
    if (typeof hash !== "string" || !BCRYPT.test(hash)) throw new WebConfigError(`basic_auth_users: the password of ${quoted(user)} is not a bcrypt hash ($2y$, $2b$ or $2a$, as htpasswd -nBC 10 "" makes)`);
    const cost = Number(BCRYPT.exec(hash)?.[1]);
    if (cost < 4 || cost > 31) throw new WebConfigError(`basic_auth_users: the bcrypt hash of ${quoted(user)} has a cost out of 4 to 31`);
    users.set(user, hash);
  }
  return users;
}

interface TlsSettings {
  options: ServerOptions;
  clientAuth: ClientAuthType;
}

async function tlsFrom(value: unknown, directory: string): Promise<TlsSettings | undefined> {
  if (value === undefined || value === null) return undefined;
  const config = mapping(value, "tls_server_config");
  refuseUnknown(config, "tls_server_config.", TLS_KEYS);
  if (Object.keys(config).length === 0) return undefined;
  if (config.cert_file === undefined || config.key_file === undefined) {
    if (config.cert_file !== undefined) throw new WebConfigError("tls_server_config: key_file is required with cert_file");
    if (config.key_file !== undefined) throw new WebConfigError("tls_server_config: cert_file is required with key_file");
    throw new WebConfigError("tls_server_config: cert_file and key_file are required");
  }
  const clientAuth = (config.client_auth_type ?? "NoClientCert") as ClientAuthType;
  if (!CLIENT_AUTH_TYPES.includes(clientAuth)) throw new WebConfigError(`tls_server_config.client_auth_type must be one of ${CLIENT_AUTH_TYPES.join(", ")}`);
  const version = (key: "min_version" | "max_version", fallback: SecureVersion): SecureVersion => {
    const given = config[key];
    if (given === undefined) return fallback;
    const mapped = typeof given === "string" ? TLS_VERSIONS[given] : undefined;
    if (!mapped) throw new WebConfigError(`tls_server_config.${key} must be TLS12 or TLS13`);
    return mapped;
  };
  const minVersion = version("min_version", "TLSv1.2");
  const maxVersion = version("max_version", "TLSv1.3");
  if (minVersion === "TLSv1.3" && maxVersion === "TLSv1.2") throw new WebConfigError("tls_server_config: min_version is above max_version");

  // Relative paths are the config file's neighbours, as exporter-toolkit resolves them.
  const resolve = (key: string): string => path.resolve(directory, text(config[key], `tls_server_config.${key}`));
  const cert = await readBounded(resolve("cert_file"), "tls_server_config.cert_file ");
  const key = await readBounded(resolve("key_file"), "tls_server_config.key_file ");
  const options: ServerOptions = { cert, key, minVersion, maxVersion };
  try {
    // Loaded now, so that a bad pair is refused at start and not at the first handshake.
    createSecureContext({ cert, key, minVersion, maxVersion });
  } catch (error) {
    // OpenSSL's reason ("key values mismatch", "no start line") quotes nothing of the files.
    throw new WebConfigError(`tls_server_config: cert_file and key_file do not load: ${oneLine(error)}`);
  }

  if (config.client_ca_file !== undefined) {
    if (clientAuth === "NoClientCert") throw new WebConfigError("tls_server_config: client_ca_file needs a client_auth_type other than NoClientCert");
    const ca = await readBounded(resolve("client_ca_file"), "tls_server_config.client_ca_file ");
    // Node.js skips what is not a certificate without a word: count what it would trust.
    const blocks = ca.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
    const certificates = blocks.filter((block) => {
      try {
        return Boolean(new X509Certificate(block));
      } catch {
        return false;
      }
    });
    if (certificates.length === 0) throw new WebConfigError("tls_server_config.client_ca_file holds no PEM certificate");
    options.ca = certificates;
  }
  // exporter-toolkit's client_auth_type is Go's tls.ClientAuthType; node:https has two switches.
  // A client certificate that does not verify is refused in the handshake only where Go refuses it.
  options.requestCert = clientAuth !== "NoClientCert";
  options.rejectUnauthorized = clientAuth === "RequireAndVerifyClientCert";
  return { options, clientAuth };
}

const oneLine = (error: unknown): string => (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, " ");

// As the client reads its files (packages/client/src/local-file.ts, internal to it): a regular
// file of at most 1 MiB, anything else refused before a byte is read; a FIFO is never waited on.
async function readBounded(file: string, name: string): Promise<string> {
  const refuse = (problem: string): never => {
    throw new WebConfigError(`${name}${name ? `${file} ` : ""}${problem}`);
  };
  const check = (stats: Stats): void => {
    if (!stats.isFile()) refuse(stats.isDirectory() ? "is a directory, not a regular file" : stats.isFIFO() ? "is a FIFO, not a regular file" : "is not a regular file");
    if (stats.size > MAX_WEB_CONFIG_BYTES) refuse("is larger than 1 MiB");
  };
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    check(await stat(file));
    handle = await open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    check(await handle.stat());
    const bytes = Buffer.alloc(MAX_WEB_CONFIG_BYTES + 1);
    let total = 0;
    while (total < bytes.length) {
      const { bytesRead } = await handle.read(bytes, total, bytes.length - total, null);
      if (bytesRead === 0) break;
      total += bytesRead;
    }
    if (total > MAX_WEB_CONFIG_BYTES) refuse("is larger than 1 MiB");
    return bytes.subarray(0, total).toString("utf8");
  } catch (error) {
    if (error instanceof WebConfigError) throw error;
    const code = (error as { code?: unknown } | null)?.code;
    return refuse(`cannot be read: ${typeof code === "string" ? code : "error"}`);
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

// The headers on every answer, then, with users, basic auth on every path (the health checks
// too, as exporter-toolkit does: it knows no path).
function guard(users: Map<string, string>, headers: Record<string, string>): (listener: RequestListener) => RequestListener {
  const verify = users.size === 0 ? undefined : verifier(users);
  return (listener) => (request, response) => {
    for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
    if (!verify) return listener(request, response);
    void verify(request.headers.authorization).then(
      (ok) => {
        if (ok) return listener(request, response);
        if (response.destroyed) return;
        const body = "Unauthorized\n";
        response.writeHead(401, { "WWW-Authenticate": "Basic", "Content-Type": "text/plain; charset=utf-8", "Content-Length": String(Buffer.byteLength(body)), "Cache-Control": "no-store" });
        response.end(request.method === "HEAD" ? undefined : body);
      },
      () => response.destroy(),
    );
  };
}

// Whether an Authorization header names a user with the right password. bcrypt runs once per
// user and password: a success is remembered by its SHA-256 (never the password), so a scrape
// every 15 s does not pay bcrypt each time. Comparisons run one at a time, as exporter-toolkit
// runs them, so a flood of wrong passwords costs one core at most.
function verifier(users: Map<string, string>): (authorization: string | undefined) => Promise<boolean> {
  const verified = new Set<string>();
  // An unknown user costs a bcrypt comparison too, against a real hash whose answer is thrown
  // away: the time does not tell which users exist.
  const decoy = users.values().next().value as string;
  let queue: Promise<unknown> = Promise.resolve();
  return async (authorization) => {
    const credentials = basicCredentials(authorization);
    if (!credentials) return false;
    const { user, password } = credentials;
    const known = users.get(user);
    const hash = known ?? decoy;
    // The lookup's timing shows at most whether this digest was verified before: a digest,
    // not a password, and only one whose password was right.
    const key = createHash("sha256").update(user).update("\0").update(password).update("\0").update(hash).digest("hex");
    if (known !== undefined && verified.has(key)) return true;
    const { compare } = await import("bcryptjs");
    const turn = queue.then(() => compare(password, hash));
    queue = turn.catch(() => false);
    const matches = (await turn) && known !== undefined;
    if (matches) {
      if (verified.size >= MAX_CACHED_CREDENTIALS) verified.clear();
      verified.add(key);
    }
    return matches;
  };
}

// RFC 7617: `Basic base64(user:password)`, the scheme in any case; the user ends at the first colon.
function basicCredentials(authorization: string | undefined): { user: string; password: string } | undefined {
  const match = /^basic[ \t]+([A-Za-z0-9+/]+=*)[ \t]*$/i.exec(authorization ?? "");
  if (!match) return undefined;
  const decoded = Buffer.from(match[1] as string, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
