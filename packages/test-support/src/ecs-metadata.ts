// An ECS metadata service on 127.0.0.1 that behaves as Huawei documents it ("Obtaining Metadata"
// and "Obtaining a Temporary AK/SK and securitytoken" of the ECS user guide): a session token from
// `PUT /meta-data/latest/api/token` for `X-Metadata-Token-Ttl-Seconds` (1 to 21600) seconds, then
// `GET /openstack/latest/securitykey` with it in `X-Metadata-Token`, answered with
// `{"credential":{"access","secret","securitytoken","expires_at"}}`. Variants: a service without
// session tokens (its PUT answers 404, 405 or 503), one without an agency (securitykey answers
// 404), one that never answers.
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** One temporary credential the service hands out. */
export interface MetadataCredential {
  access: string;
  secret: string;
  securitytoken: string;
  /** ISO 8601, as Huawei sends it (`2026-12-03T14:00:00.000000Z`). */
  expires_at: string;
}

/** How the service behaves. */
export interface EcsMetadataOptions {
  /** The credential of each securitykey request (0, 1, …); default one valid for 24 hours. */
  credential?: (index: number) => MetadataCredential;
  /** Answer the token PUT with this status instead of a token (404, 405, 503: no session tokens). */
  tokenStatus?: number;
  /** Answer securitykey with this status (404: no agency bound to the ECS). */
  securityKeyStatus?: number;
  /** Accept no connection's request: hold every request unanswered. */
  hang?: boolean;
  /** Milliseconds to wait before each securitykey answer. */
  delayMs?: number;
}

/** A request the service saw, headers in lower case. */
export interface MetadataRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
}

/** A running service. */
export interface EcsMetadataServer {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  requests: MetadataRequest[];
  /** How many credentials securitykey handed out. */
  issued(): number;
  close(): Promise<void>;
}

/** A credential valid for `hours` from now, with values unique to `index`. */
export function metadataCredential(index: number, hours = 24): MetadataCredential {
  return {
    access: `ECSTEMPACCESSKEY${String(index).padStart(4, "0")}`,
    secret: `ecs-temporary-secret-key-${index}-0123456789abcdef`,
    securitytoken: `gQpjbi1ub3J0aC00ECSSECURITYTOKEN${index}xxxxxxxxxxxxxxxx`,
    expires_at: new Date(Date.now() + hours * 3_600_000).toISOString(),
  };
}

/** Starts the service on 127.0.0.1, port 0. */
export async function startEcsMetadataServer(options: EcsMetadataOptions = {}): Promise<EcsMetadataServer> {
  const requests: MetadataRequest[] = [];
  const tokens = new Map<string, number>();
  let issued = 0;
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? "", url: req.url ?? "", headers: { ...req.headers } });
    if (options.hang) return;
    const send = (status: number, body: string, type = "text/plain") => res.writeHead(status, { "content-type": type }).end(body);
    if (req.url === "/meta-data/latest/api/token") {
      if (req.method !== "PUT") return send(405, "method not allowed");
      if (options.tokenStatus !== undefined) return send(options.tokenStatus, "");
      const ttl = Number(req.headers["x-metadata-token-ttl-seconds"]);
      if (!(Number.isInteger(ttl) && ttl >= 1 && ttl <= 21600)) return send(400, "X-Metadata-Token-Ttl-Seconds must be 1 to 21600");
      const token = randomUUID();
      tokens.set(token, Date.now() + ttl * 1000);
      return send(200, token);
    }
    if (req.url === "/openstack/latest/securitykey" && req.method === "GET") {
      if (options.tokenStatus === undefined) {
        const token = req.headers["x-metadata-token"];
        const until = typeof token === "string" ? tokens.get(token) : undefined;
        if (until === undefined || until < Date.now()) return send(401, "X-Metadata-Token missing, unknown or expired");
      }
      if (options.securityKeyStatus !== undefined) return send(options.securityKeyStatus, '{"error":"no agency"}', "application/json");
      const answer = () => send(200, JSON.stringify({ credential: (options.credential ?? metadataCredential)(issued++) }), "application/json");
      if (options.delayMs) setTimeout(answer, options.delayMs);
      else answer();
      return;
    }
    send(404, "not found");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    issued: () => issued,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
