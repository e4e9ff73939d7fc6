// The test server every suite stands in for a service with, checked with Node's own fetch and
// node:http as clients: what it records, what it answers, how it misbehaves, and that close()
// never leaves a connection behind.
import { request as httpRequest, Agent } from "node:http";
import { connect, type Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { closedPort, startTestServer, type TestServer } from "../src/index.js";

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(...args: Parameters<typeof startTestServer>): Promise<TestServer> {
  const server = await startTestServer(...args);
  servers.push(server);
  return server;
}

/** Whether the promise settles within `ms`. */
const settlesWithin = (promise: Promise<unknown>, ms: number) =>
  Promise.race([promise.then(() => true, () => true), sleep(ms).then(() => false)]);

describe("startTestServer", () => {
  it("listens on 127.0.0.1 only, at a port the OS picked", async () => {
    const server = await start(() => ({ status: 204 }));
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.port).toBeGreaterThan(0);
    expect((await fetch(server.url)).status).toBe(204);
  });

  it("records every request in order: index, method, path with query, lower-case headers and body", async () => {
    const server = await start(() => ({ status: 200, body: {} }));
    await fetch(`${server.url}/v4/x?project_id=p`, { headers: { "X-Auth-Token": "t0k3n" } });
    await fetch(`${server.url}/v5/y`, { method: "POST", body: '{"a":"ü"}', headers: { "content-type": "application/json" } });
    expect(server.requests.map(({ index, method, url, body }) => ({ index, method, url, body }))).toEqual([
      { index: 0, method: "GET", url: "/v4/x?project_id=p", body: "" },
      { index: 1, method: "POST", url: "/v5/y", body: '{"a":"ü"}' },
    ]);
    expect(server.requests[0]?.headers["x-auth-token"]).toBe("t0k3n");
  });

  it("sends a scripted answer: the status, the headers, an object as JSON and a string as it is", async () => {
    const server = await start(({ index }) =>
      index === 0 ? { status: 401, headers: { "x-request-id": "rid-1" }, body: { error_code: "APIG.0301" } } : { status: 502, headers: { "content-type": "text/html" }, body: "<html>" },
    );
    const first = await fetch(server.url);
    expect(first.status).toBe(401);
    expect(first.headers.get("x-request-id")).toBe("rid-1");
    expect(first.headers.get("content-type")).toBe("application/json");
    expect(await first.json()).toEqual({ error_code: "APIG.0301" });
    const second = await fetch(server.url);
    expect([second.status, second.headers.get("content-type"), await second.text()]).toEqual([502, "text/html", "<html>"]);
  });

  it("answers a status with no body with an empty body", async () => {
    const server = await start(() => ({ status: 200 }));
    const response = await fetch(server.url);
    expect(await response.text()).toBe("");
  });

  it("lets the handler answer later (async) and write the response itself", async () => {
    const server = await start(async ({ url }, response) => {
      await sleep(150);
      if (url === "/scripted") return { status: 200, body: "later" };
      response.writeHead(200, "Fine", { "content-type": "text/plain" });
      response.write("in ");
      response.end("pieces");
    });
    const started = performance.now();
    expect(await (await fetch(`${server.url}/scripted`)).text()).toBe("later");
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    const written = await fetch(`${server.url}/written`);
    expect([written.statusText, await written.text()]).toEqual(["Fine", "in pieces"]);
  });

  it("hang: the request gets no answer, and close() cuts it rather than waiting for it", async () => {
    const server = await startTestServer(() => ({ hang: true }));
    const pending = fetch(server.url);
    const settled = pending.then(() => "answered", () => "failed");
    await expect.poll(() => server.requests.length).toBe(1);
    expect(await settlesWithin(settled, 300)).toBe(false);
    expect(await settlesWithin(server.close(), 2000)).toBe(true);
    expect(await settled).toBe("failed");
  });

  it("reset: the connection is destroyed without an answer", async () => {
    const server = await start(() => ({ reset: true }));
    const error = await fetch(server.url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as { cause?: { code?: string } }).cause?.code).toBe("UND_ERR_SOCKET");
  });

  it("stallBody: a 200 head and the start of a body arrive, then nothing more", async () => {
    const server = await startTestServer(() => ({ stallBody: true }));
    const response = await fetch(server.url);
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('{"partial":');
    const rest = reader.read();
    expect(await settlesWithin(rest, 300)).toBe(false);
    await server.close();
    await expect(rest).rejects.toThrow();
  });

  it("close() also ends idle keep-alive connections: the socket a client kept open is closed", async () => {
    const server = await startTestServer(() => ({ status: 200, body: {} }));
    const agent = new Agent({ keepAlive: true });
    // One request over a kept-alive connection, answered in full: the socket stays open, idle.
    const socket = await new Promise<Socket>((resolve, reject) => {
      const req = httpRequest(server.url, { agent }, (response) => {
        response.resume();
        response.on("end", () => resolve(req.socket as Socket));
      });
      req.on("error", reject);
      req.end();
    });
    const socketClosed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
    expect(await settlesWithin(socketClosed, 300)).toBe(false);
    await server.close();
    expect(await settlesWithin(socketClosed, 2000)).toBe(true);
    agent.destroy();
  });

  it("a handler that throws gets its request a 500, and close() rejects with what it threw", async () => {
    const server = await startTestServer(() => {
      throw new Error("bad script");
    });
    const response = await fetch(server.url);
    expect(response.status).toBe(500);
    expect(await response.text()).toContain("bad script");
    await expect(server.close()).rejects.toThrow(/bad script/);
  });

  it("close() twice is harmless, and afterwards nothing listens on the port", async () => {
    const server = await startTestServer(() => ({ status: 200 }));
    await server.close();
    await server.close();
    await expect(fetch(server.url)).rejects.toMatchObject({ cause: { code: "ECONNREFUSED" } });
  });
});

describe("closedPort", () => {
  it("is a loopback port where a connection is refused", async () => {
    const port = await closedPort();
    expect(port).toBeGreaterThan(0);
    const code = await new Promise<string | undefined>((resolve) => {
      const socket = connect(port, "127.0.0.1", () => {
        socket.destroy();
        resolve("connected");
      });
      socket.on("error", (error: NodeJS.ErrnoException) => resolve(error.code));
    });
    expect(code).toBe("ECONNREFUSED");
  });
});
