// The vitest setup of every client, CLI and integration suite (`setupFiles` in their
// vitest.config.ts): a test that connects to the ECS metadata address fails, whatever else it
// expected (src/metadata-guard.mjs refuses the connection itself).
import { afterEach, expect } from "vitest";
import { metadataConnections } from "./metadata-guard.mjs";

afterEach(() => {
  const attempts = metadataConnections.splice(0);
  expect(attempts, "this test tried to connect to the ECS metadata address; point it at a loopback server or disable it").toEqual([]);
});
