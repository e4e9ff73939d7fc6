// The guard every client, CLI and integration suite loads: a connection to the ECS metadata
// address is refused before any packet leaves, recorded, and fails the test that made it. These
// tests never let a connection through to check: the guard decides before Node's own connect.
import { execFile } from "node:child_process";
import net from "node:net";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { metadataConnections } from "../src/metadata-guard.mjs";

const GUARD = fileURLToPath(new URL("../src/metadata-guard.mjs", import.meta.url));

function connectError(connect: () => net.Socket): Promise<Error & { code?: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect();
    socket.once("connect", () => reject(new Error("connected")));
    socket.once("error", resolve);
  });
}

describe("the ECS metadata guard", () => {
  // What the tests below provoke on purpose is taken back, so the suite's own setup does not fail them.
  afterEach(() => void metadataConnections.splice(0));

  it.each([
    ["net.connect(port, host)", () => net.connect(80, "169.254.169.254")],
    ["net.connect({ host, port })", () => net.connect({ host: "169.254.169.254", port: 80 })],
    ["an IPv4-mapped IPv6 address", () => net.connect({ host: "::ffff:169.254.169.254", port: 80 })],
  ])("refuses %s and records it", async (_label, connect) => {
    await import("../src/metadata-guard.mjs");
    const error = await connectError(connect);
    expect(error.message).toContain("refused by the test guard");
    expect(metadataConnections).toHaveLength(1);
  });

  it("refuses a name that resolves to the address, before connecting", async () => {
    const error = await connectError(() =>
      net.connect({
        host: "metadata.invalid",
        port: 80,
        // Node asks for every address (`all`) when it races IPv4 and IPv6, for one otherwise.
        lookup: (_host, options, callback) =>
          options.all
            ? (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address: "127.0.0.1", family: 4 }, { address: "169.254.169.254", family: 4 }])
            : (callback as (e: null, a: string, f: number) => void)(null, "169.254.169.254", 4),
      }),
    );
    expect(error.message).toContain("refused by the test guard");
    expect(metadataConnections).toEqual(["169.254.169.254:80"]);
  });

  it("lets loopback connections through", async () => {
    const server = net.createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise<void>((resolve, reject) => net.connect(port, "127.0.0.1").once("connect", function (this: net.Socket) { this.destroy(); resolve(); }).once("error", reject));
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(metadataConnections).toEqual([]);
  });

  it("refuses the address in a process started with `node --import` of the guard, as the CLI tests start the command", async () => {
    const script = `fetch("http://169.254.169.254/openstack/latest/securitykey", { signal: AbortSignal.timeout(5000) }).then(() => console.log("answered"), (e) => console.log(e.cause?.message ?? e.message))`;
    const stdout = await new Promise<string>((resolve) =>
      execFile(process.execPath, ["--import", GUARD, "-e", script], { env: { PATH: process.env.PATH ?? "" } }, (_error, out) => resolve(out)),
    );
    expect(stdout).toContain("refused by the test guard");
  });
});
