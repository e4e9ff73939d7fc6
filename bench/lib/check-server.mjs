// The loopback server of the request benchmark: node:http on 127.0.0.1, an ephemeral port,
// keep-alive, answering `GET /v4/tenant/tenant-package-status` with the documented Check 200
// example (ShowTenantPackageStatusOk) and anything else with 404. It runs in its own process so
// that it does not share the client's event loop; it tells its parent the port over IPC and
// exits when the parent says "stop" (or disconnects).
import http from "node:http";
import { readFileSync } from "node:fs";
import { bundledJson } from "./common.mjs";

const spec = JSON.parse(readFileSync(bundledJson, "utf8"));
const body = Buffer.from(JSON.stringify(spec.components.examples.ShowTenantPackageStatusOk.value));
const okHeaders = { "content-type": "application/json", "content-length": String(body.length), "x-request-id": "bench-request-id" };
const CHECK_PATH = "/v4/tenant/tenant-package-status";

let served = 0;
let rejected = 0;
const server = http.createServer({ keepAlive: true, keepAliveTimeout: 60_000 }, (req, res) => {
  const q = req.url.indexOf("?");
  const pathname = q === -1 ? req.url : req.url.slice(0, q);
  if (req.method === "GET" && pathname === CHECK_PATH) {
    served++;
    res.writeHead(200, okHeaders);
    res.end(body);
  } else {
    rejected++;
    res.writeHead(404, { "content-type": "application/json" });
    res.end('{"error_code":"CC.404","error_msg":"not found"}');
  }
});
server.keepAliveTimeout = 60_000;
server.headersTimeout = 61_000;

server.listen(0, "127.0.0.1", () => {
  const { port } = server.address();
  process.send?.({ port, bodyBytes: body.length });
});

function stop() {
  server.close(() => {
    process.send?.({ stopped: true, served, rejected }, () => process.exit(0));
  });
  server.closeAllConnections();
}
process.on("message", (m) => {
  if (m === "stop") stop();
  else if (m === "stats") process.send?.({ served, rejected });
});
process.on("disconnect", () => process.exit(0));
