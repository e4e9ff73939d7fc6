// The exporter runs for weeks: temporary credentials from the ECS metadata service (on loopback)
// must be refreshed before they expire, and every scrape still signed with valid ones, as the
// mock's gateway check proves.
import { startMockServer, type MockServer } from "@codearts-package-status/mock";
import { metadataCredential, parameterExample, startEcsMetadataServer, type EcsMetadataServer } from "@codearts-package-status/test-support";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { parseExposition, samplesOf, startExporter } from "./support/exporter.js";

const IDS = ["--project-id", String(parameterExample("ProjectId")), "--tenant-id", String(parameterExample("TenantId"))];
// Each credential lives 61.5 s: the client stops using one a minute before it expires, so the
// next scrape after 1.5 s needs a new one.
const credential = (index: number) => ({ ...metadataCredential(index), expires_at: new Date(Date.now() + 61_500).toISOString() });

let mock: MockServer;
let metadata: EcsMetadataServer;
beforeAll(async () => {
  const accessKeys = Object.fromEntries(Array.from({ length: 10 }, (_, index) => [metadataCredential(index).access, metadataCredential(index).secret]));
  mock = await startMockServer({ host: "127.0.0.1", port: 0, credentials: { accessKeys } });
  metadata = await startEcsMetadataServer({ credential });
});
afterAll(async () => {
  await mock.close();
  await metadata.close();
});

it("scrapes with an ECS agency's temporary keys, and fetches new ones before the old expire", async () => {
  const flags = ["--endpoint-artifact", mock.url, "--endpoint-check", mock.url, "--endpoint-pipeline", mock.url, "--endpoint-iam", mock.url];
  const exporter = await startExporter(["--listen", "127.0.0.1:0", "--cache-seconds", "0", ...IDS, ...flags], {
    CODEARTS_ECS_METADATA_DISABLED: "",
    CODEARTS_ECS_METADATA_ENDPOINT: metadata.url,
  });
  try {
    const up = async () => samplesOf(parseExposition(await (await fetch(exporter.url)).text()), "codearts_service_up").map((sample) => sample.value);
    expect(await up()).toEqual([1, 1, 1]);
    const issued = metadata.issued();
    // Two seconds on, on the clock the client reads: the keys are within a minute of expiry.
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 2000);
    expect(await up()).toEqual([1, 1, 1]);
    expect(metadata.issued()).toBeGreaterThan(issued);
    expect(mock.requests.every((request) => request.status === 200)).toBe(true);
  } finally {
    vi.useRealTimers();
    expect(await exporter.stop()).toBe(0);
  }
});
