// Makes every connection to the ECS metadata address (169.254.169.254) fail in this process, and
// records it: no test, benchmark or main job may ever reach it (a developer's machine on an ECS
// would answer with real credentials). Loaded by the vitest setup of every client, CLI and
// integration suite (src/vitest-setup.ts), and with `node --import` into the CLI processes those
// tests start. Plain JavaScript, so that Node loads it without a TypeScript loader.
import net from "node:net";

const METADATA = /^(::ffff:)?169\.254\.169\.254$/i;

/** Every attempt this process made to connect to the metadata address, as "host:port". */
export const metadataConnections = (globalThis.__codeartsMetadataConnections ??= []);

function hostOf(args) {
  const [first, second] = args;
  if (Array.isArray(first)) return hostOf(first);
  if (first && typeof first === "object") return { host: first.host, port: first.port };
  return { host: typeof second === "string" ? second : undefined, port: first };
}

if (!globalThis.__codeartsMetadataGuard) {
  globalThis.__codeartsMetadataGuard = true;
  const connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function guardedConnect(...args) {
    const { host, port } = hostOf(args);
    const refuse = (address) => {
      metadataConnections.push(`${address}:${port}`);
      process.stderr.write(`metadata guard: refused a connection to ${address}:${port}\n`);
      return Object.assign(new Error(`connection to the ECS metadata address ${address} refused by the test guard`), { code: "ECONNREFUSED" });
    };
    if (typeof host === "string" && METADATA.test(host)) {
      const error = refuse(host);
      process.nextTick(() => this.destroy(error));
      return this;
    }
    // A name that resolves to the address is refused once resolved: destroyed synchronously in
    // the "lookup" event, Node's net checks the socket is still connecting before it connects.
    this.on("lookup", (_error, address) => {
      if (typeof address === "string" && METADATA.test(address)) this.destroy(refuse(address));
    });
    return connect.apply(this, args);
  };
}
