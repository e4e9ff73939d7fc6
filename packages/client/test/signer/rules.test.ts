/**
 * One test per subtle rule in SIGNING.md, plus pinned cases where Huawei's Node.js signer
 * (the oracle in oracle.test.ts) knowingly differs from this module.
 */
import { createHash, webcrypto } from "node:crypto";
import { AKSKSigner } from "@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner.js";
import type { ICredential } from "@huaweicloud/huaweicloud-sdk-core/auth/ICredential.js";
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  canonicalHeaders,
  canonicalQueryString,
  canonicalQueryStringFromPairs,
  canonicalUri,
  headersToSign,
  isSignableHeaderName,
  normalizeMethod,
  percentEncode,
  signedHeaders,
} from "../../src/auth/signing.js";
import { sha256Hex } from "../../src/auth/crypto.js";
import {
  EMPTY_BODY_SHA256,
  UNSIGNED_PAYLOAD,
  computeSignature,
  formatSdkDate,
  isValidSdkDate,
  signRequest,
  type SignRequestInput,
} from "../../src/auth/signer.js";

const base: SignRequestInput = {
  method: "GET",
  url: "https://example.huaweicloud.com/v1/resources",
  accessKey: "AK0123",
  secretKey: "SK-secret-value",
  date: new Date(Date.UTC(2020, 5, 8, 2, 39, 0)),
};

/** Canonical request as built by the oracle, captured from its internals. */
function oracleCanonicalRequest(request: Record<string, unknown>): string {
  const signer = AKSKSigner as unknown as { buildCanonicalRequest: (...args: unknown[]) => string; sign: typeof AKSKSigner.sign };
  const original = signer.buildCanonicalRequest;
  let captured = "";
  signer.buildCanonicalRequest = function (this: unknown, ...args: unknown[]) {
    captured = original.apply(this, args);
    return captured;
  };
  try {
    signer.sign(request, { getAk: () => "AK", getSk: () => "SK" } as unknown as ICredential);
  } finally {
    signer.buildCanonicalRequest = original;
  }
  return captured;
}

describe("percent-encoding", () => {
  it("keeps only A-Z a-z 0-9 - . _ ~ and uses upper-case hex over UTF-8", () => {
    expect(percentEncode("AZaz09-._~")).toBe("AZaz09-._~");
    expect(percentEncode(" !\"#$%&'()*+,/:;<=>?@[\\]^`{|}")).toBe(
      "%20%21%22%23%24%25%26%27%28%29%2A%2B%2C%2F%3A%3B%3C%3D%3E%3F%40%5B%5C%5D%5E%60%7B%7C%7D",
    );
    expect(percentEncode("é😀")).toBe("%C3%A9%F0%9F%98%80");
    expect(percentEncode(new Uint8Array([0x00, 0xff]))).toBe("%00%FF");
  });

  it("matches encodeURIComponent except for ! ' ( ) *", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (s) => {
        const expected = encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
        expect(percentEncode(s)).toBe(expected);
      }),
    );
  });
});

describe("canonical URI", () => {
  it("encodes each segment and appends a trailing slash", () => {
    expect(canonicalUri("/")).toBe("/");
    expect(canonicalUri("")).toBe("/");
    expect(canonicalUri("/v1/a/")).toBe("/v1/a/");
    expect(canonicalUri("/v1/a")).toBe("/v1/a/");
    expect(canonicalUri("//a//")).toBe("//a//");
  });

  it("decodes the wire path first, so escapes are not double-encoded and hex case is normalised", () => {
    expect(canonicalUri("/a%20b/%c3%a9")).toBe("/a%20b/%C3%A9/");
    expect(canonicalUri(new URL("https://h/a b/é/!$'()*").pathname)).toBe("/a%20b/%C3%A9/%21%24%27%28%29%2A/");
  });

  it("treats an encoded slash as a separator (decode-then-split, as Python's unquote(path).split('/'))", () => {
    expect(canonicalUri("/a%2Fb")).toBe("/a/b/");
  });

  it("keeps malformed escapes literal and invalid UTF-8 bytes intact", () => {
    expect(canonicalUri("/100%/%zz/%4")).toBe("/100%25/%25zz/%254/");
    expect(canonicalUri("/%FF%FE")).toBe("/%FF%FE/");
  });

  it("differs from the Node oracle, which double-encodes an already-escaped path", () => {
    const oracle = oracleCanonicalRequest({ endpoint: "https://h/a%20b", method: "GET", headers: { "X-Sdk-Date": "20200101T000000Z" } });
    expect(oracle.split("\n")[1]).toBe("/a%2520b/");
    expect(canonicalUri("/a%20b")).toBe("/a%20b/");
  });
});

describe("canonical query string", () => {
  it("sorts by key then value, keeps repeated keys and signs empty values as key=", () => {
    expect(canonicalQueryString("?b=2&a=2&a=1&a=&c&d=")).toBe("a=&a=1&a=2&b=2&c=&d=");
  });

  it("skips empty pieces and splits on the first '=' only", () => {
    expect(canonicalQueryString("?&&a=b=c&&")).toBe("a=b%3Dc");
    expect(canonicalQueryString("?=v&=")).toBe("=&=v");
    expect(canonicalQueryString("")).toBe("");
    expect(canonicalQueryString("?")).toBe("");
  });

  it("treats '+' as a literal plus, not a space", () => {
    expect(canonicalQueryString("?q=a+b&r=a%20b")).toBe("q=a%2Bb&r=a%20b");
  });

  it("sorts on the decoded bytes, not on the encoded form", () => {
    // '.' (0x2E) < '/' (0x2F) raw, but "%2F" < "." once encoded.
    expect(canonicalQueryString("?a%2F=2&a.=1")).toBe("a.=1&a%2F=2");
  });

  it("sorts by code point (Go/Python); the Node oracle sorts by UTF-16 unit", () => {
    const pairs: Array<[string, string]> = [["\u{1F600}", "1"], ["\uFF01", "2"]];
    expect(canonicalQueryStringFromPairs(pairs)).toBe("%EF%BC%81=2&%F0%9F%98%80=1");
    const oracle = oracleCanonicalRequest({
      endpoint: "https://h/",
      method: "GET",
      headers: { "X-Sdk-Date": "20200101T000000Z" },
      queryParams: Object.fromEntries(pairs),
    });
    expect(oracle.split("\n")[2]).toBe("%F0%9F%98%80=1&%EF%BC%81=2");
  });

  it("agrees between the wire parser and the pairs form for any input", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string({ unit: "grapheme" }), fc.string({ unit: "grapheme" }))), (pairs) => {
        const search = pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&");
        expect(canonicalQueryString(search)).toBe(canonicalQueryStringFromPairs(pairs));
      }),
    );
  });
});

describe("headers", () => {
  it("lower-cases, trims and sorts; signed list is ';'-joined", () => {
    const entries: Array<[string, string]> = [["X-B", "  two  "], ["x-a", "one\t"], ["Host", "h"]];
    expect(canonicalHeaders(entries)).toBe("host:h\nx-a:one\nx-b:two\n");
    expect(signedHeaders(entries)).toBe("host;x-a;x-b");
  });

  it("keeps internal whitespace and empty values", () => {
    expect(canonicalHeaders([["x-a", "a  b\tc"], ["x-e", ""]])).toBe("x-a:a  b\tc\nx-e:\n");
  });

  it("rejects duplicate names in the signed set", () => {
    expect(() => canonicalHeaders([["X-A", "1"], ["x-a", "2"]])).toThrow(TypeError);
  });

  it("skips authorization and names containing '_'", () => {
    expect(isSignableHeaderName("Authorization")).toBe(false);
    expect(isSignableHeaderName("TEST_UNDERSCORE")).toBe(false);
    expect(isSignableHeaderName("X-Project-Id")).toBe(true);
  });

  it("always signs host, preferring an explicit Host header over url.host", () => {
    const url = new URL("https://Example.COM:8443/x");
    expect(headersToSign(new Headers(), url)).toEqual([["host", "example.com:8443"]]);
    expect(headersToSign(new Headers({ Host: "vhost" }), url)).toEqual([["host", "vhost"]]);
  });

  it("uses the WHATWG host (no default port); the Node oracle keeps an explicit :443", async () => {
    const r = await computeSignature({ ...base, url: "https://example.com:443/" });
    expect(r.canonicalRequest).toContain("\nhost:example.com\n");
    const oracle = oracleCanonicalRequest({ endpoint: "https://example.com:443/", method: "GET", headers: { "X-Sdk-Date": "20200101T000000Z" } });
    expect(oracle).toContain("\nhost:example.com:443\n");
  });

  it("trims values (as fetch does on the wire); the Node oracle signs them untrimmed", async () => {
    const r = await computeSignature({ ...base, headers: { "X-A": "  v  " } });
    expect(r.canonicalRequest).toContain("\nx-a:v\n");
    const oracle = oracleCanonicalRequest({ endpoint: "https://h/", method: "GET", headers: { "X-Sdk-Date": "20200101T000000Z", "x-a": "  v  " } });
    expect(oracle).toContain("\nx-a:  v  \n");
  });

  it("documents the oracle's inconsistent header order for '_' vs '-' (why '_' names are not generated)", () => {
    const oracle = oracleCanonicalRequest({ endpoint: "https://h/", method: "GET", headers: { "X-Sdk-Date": "20200101T000000Z", "a-b": "1", a_b: "2" } });
    const lines = oracle.split("\n");
    expect(lines.slice(3, 5)).toEqual(["a_b:2", "a-b:1"]); // localeCompare order
    expect(lines[8]).toBe("a-b;a_b;host;x-sdk-date"); // code-unit order
  });
});

describe("signRequest", () => {
  it("returns input headers plus X-Sdk-Date, X-Security-Token and Authorization, without adding host", async () => {
    const input = new Headers({ "Content-Type": "application/json", TEST_UNDERSCORE: "kept" });
    const out = await signRequest({ ...base, headers: input, securityToken: "tok" });
    expect(out.get("x-sdk-date")).toBe("20200608T023900Z");
    expect(out.get("x-security-token")).toBe("tok");
    expect(out.get("test_underscore")).toBe("kept");
    expect(out.get("content-type")).toBe("application/json");
    expect(out.has("host")).toBe(false);
    expect(out.get("authorization")).toMatch(
      /^SDK-HMAC-SHA256 Access=AK0123, SignedHeaders=content-type;host;x-sdk-date;x-security-token, Signature=[0-9a-f]{64}$/,
    );
    expect([...input.keys()]).toEqual(["content-type", "test_underscore"]); // input not mutated
  });

  it("returns a supplied Host header unchanged", async () => {
    const out = await signRequest({ ...base, headers: { Host: "vhost.example" } });
    expect(out.get("host")).toBe("vhost.example");
  });

  it("replaces a stale Authorization header instead of signing it", async () => {
    const a = await computeSignature(base);
    const b = await computeSignature({ ...base, headers: { Authorization: "old" } });
    expect(b.authorization).toBe(a.authorization);
    expect(b.headers.get("authorization")).toBe(a.authorization);
  });

  it("hashes string, Uint8Array and ArrayBuffer bodies identically, and like node:crypto", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (bytes) => {
        const expected = createHash("sha256").update(bytes).digest("hex");
        expect(await sha256Hex(bytes)).toBe(expected);
        const copy = bytes.slice().buffer;
        const [a, b] = await Promise.all([
          computeSignature({ ...base, method: "POST", body: bytes }),
          computeSignature({ ...base, method: "POST", body: copy }),
        ]);
        expect(a.canonicalRequest.endsWith(`\n${expected}`)).toBe(true);
        expect(b.signature).toBe(a.signature);
      }),
      { numRuns: 50 },
    );
    const s = "héllo 😀";
    const [fromString, fromBytes] = await Promise.all([
      computeSignature({ ...base, method: "POST", body: s }),
      computeSignature({ ...base, method: "POST", body: new TextEncoder().encode(s) }),
    ]);
    expect(fromString.signature).toBe(fromBytes.signature);
  });

  it("treats null, undefined and empty bodies as the empty hash", async () => {
    for (const body of [null, undefined, "", new Uint8Array(0)]) {
      const r = await computeSignature({ ...base, body });
      expect(r.canonicalRequest.endsWith(`\n${EMPTY_BODY_SHA256}`)).toBe(true);
    }
  });

  it("signs UNSIGNED-PAYLOAD in place of the body hash and signs the header itself", async () => {
    const r = await computeSignature({ ...base, method: "PUT", body: "ignored", unsignedPayload: true });
    expect(r.canonicalRequest.endsWith(`\n${UNSIGNED_PAYLOAD}`)).toBe(true);
    expect(r.signedHeaders).toBe("host;x-sdk-content-sha256;x-sdk-date");
    expect(r.headers.get("x-sdk-content-sha256")).toBe(UNSIGNED_PAYLOAD);
    // Go and Node use the header even without a body (Python would use the empty hash).
    const empty = await computeSignature({ ...base, unsignedPayload: true });
    expect(empty.canonicalRequest.endsWith(`\n${UNSIGNED_PAYLOAD}`)).toBe(true);
  });

  it("uses a caller-supplied X-Sdk-Content-Sha256 verbatim; an empty one means 'hash the body'", async () => {
    const r = await computeSignature({ ...base, body: "x", headers: { "x-sdk-content-sha256": "abc" } });
    expect(r.canonicalRequest.endsWith("\nabc")).toBe(true);
    const e = await computeSignature({ ...base, body: "x", headers: { "X-Sdk-Content-Sha256": "" } });
    expect(e.canonicalRequest.endsWith(`\n${await sha256Hex("x")}`)).toBe(true);
    await expect(computeSignature({ ...base, unsignedPayload: true, headers: { "X-Sdk-Content-Sha256": "abc" } })).rejects.toThrow(TypeError);
  });

  it("rejects bodies it cannot hash", async () => {
    const body = new Blob(["x"]) as unknown as string;
    await expect(computeSignature({ ...base, body })).rejects.toThrow(/unsignedPayload/);
  });
});

describe("X-Sdk-Date", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("formats UTC with zero padding", () => {
    expect(formatSdkDate(new Date(Date.UTC(2006, 0, 2, 15, 4, 5)))).toBe("20060102T150405Z");
    expect(formatSdkDate(new Date("0099-03-04T05:06:07.999Z"))).toBe("00990304T050607Z");
    expect(() => formatSdkDate(new Date(NaN))).toThrow(RangeError);
    expect(() => formatSdkDate(new Date("+010000-01-01T00:00:00Z"))).toThrow(RangeError);
  });

  it("validates supplied values strictly", () => {
    expect(isValidSdkDate("20200608T023900Z")).toBe(true);
    expect(isValidSdkDate("20240229T235959Z")).toBe(true);
    for (const bad of ["20230229T000000Z", "20200608T246000Z", "20200608T023900", "2020-06-08T02:39:00Z", " 20200608T023900Z"]) {
      expect(isValidSdkDate(bad)).toBe(false);
    }
  });

  it("uses the current time by default", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date(Date.UTC(2031, 11, 31, 23, 59, 58, 999)));
    const out = await signRequest({ ...base, date: undefined });
    expect(out.get("x-sdk-date")).toBe("20311231T235958Z");
  });

  it("uses a supplied header, and refuses a malformed or contradictory one", async () => {
    const viaHeader = await computeSignature({ ...base, date: undefined, headers: { "X-Sdk-Date": "20200608T023900Z" } });
    const viaOption = await computeSignature(base);
    expect(viaHeader.signature).toBe(viaOption.signature);
    await expect(computeSignature({ ...base, date: undefined, headers: { "X-Sdk-Date": "yesterday" } })).rejects.toThrow(TypeError);
    await expect(computeSignature({ ...base, headers: { "X-Sdk-Date": "20200608T023901Z" } })).rejects.toThrow(/contradicts/);
  });
});

describe("hash implementation: node:crypto where it exists, WebCrypto elsewhere, the same signature", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  it("signs with node:crypto when there is no globalThis.crypto, and an injected SubtleCrypto gives the same signature", async () => {
    const expected = await computeSignature(base);
    vi.stubGlobal("crypto", undefined);
    await expect(computeSignature(base)).resolves.toMatchObject({ authorization: expected.authorization });
    const injected = await computeSignature({ ...base, subtle: webcrypto.subtle as SubtleCrypto });
    expect(injected.authorization).toBe(expected.authorization);
  });

  it("signs with globalThis.crypto.subtle where node:crypto cannot be reached (a browser), and names the subtle option when neither is there", async () => {
    const expected = await computeSignature(base);
    vi.stubGlobal("process", { ...process, getBuiltinModule: undefined });
    vi.resetModules();
    const browserLike = await import("../../src/auth/signer.js");
    await expect(browserLike.computeSignature(base)).resolves.toMatchObject({ authorization: expected.authorization });
    vi.stubGlobal("crypto", undefined);
    vi.resetModules();
    const bare = await import("../../src/auth/signer.js");
    await expect(bare.computeSignature(base)).rejects.toThrow(/subtle option/);
  });

  it("property: node:crypto and WebCrypto give the same signature for any request", async () => {
    const header = fc.tuple(fc.stringMatching(/^x-[a-z0-9-]{1,12}$/), fc.string({ maxLength: 20 }).map((v) => v.replace(/[\0\r\n]/g, "")));
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          path: fc.array(fc.string({ unit: "grapheme", maxLength: 8 }), { maxLength: 4 }),
          query: fc.array(fc.tuple(fc.string({ maxLength: 6 }), fc.string({ unit: "grapheme", maxLength: 8 })), { maxLength: 4 }),
          headers: fc.uniqueArray(header, { selector: ([name]) => name, maxLength: 4 }),
          body: fc.option(fc.string({ unit: "grapheme", maxLength: 64 }), { nil: undefined }),
          secretKey: fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 }),
        }),
        async ({ path, query, headers, body, secretKey }) => {
          const url = new URL("https://example.huaweicloud.com");
          url.pathname = path.map(encodeURIComponent).join("/");
          for (const [key, value] of query) url.searchParams.append(key, value);
          const input: SignRequestInput = { ...base, method: "POST", url: url.href, headers: Object.fromEntries(headers), body, secretKey };
          const viaNode = await computeSignature(input);
          const viaWebCrypto = await computeSignature({ ...input, subtle: webcrypto.subtle as SubtleCrypto });
          expect(viaWebCrypto.canonicalRequest).toBe(viaNode.canonicalRequest);
          expect(viaWebCrypto.authorization).toBe(viaNode.authorization);
          await expect(sha256Hex(body ?? "", webcrypto.subtle as SubtleCrypto)).resolves.toBe(createHash("sha256").update(body ?? "").digest("hex"));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("method", () => {
  it("normalises like fetch", () => {
    expect(normalizeMethod("get")).toBe("GET");
    expect(normalizeMethod("Delete")).toBe("DELETE");
    expect(normalizeMethod("patch")).toBe("patch");
    expect(normalizeMethod("PATCH")).toBe("PATCH");
    expect(() => normalizeMethod("GET /")).toThrow(TypeError);
    expect(() => normalizeMethod("")).toThrow(TypeError);
  });
});

describe("input validation never leaks the secret key", () => {
  const secret = "VERY-SECRET-SK-9f8e7d";
  const cases: Array<[string, Partial<SignRequestInput>]> = [
    ["empty access key", { accessKey: "" }],
    ["access key with comma", { accessKey: "a,b" }],
    ["empty secret", { secretKey: "" }],
    ["bad token", { securityToken: "a\nb" }],
    ["relative url", { url: "/no/host" }],
    ["bad method", { method: "G T" }],
    ["bad header", { headers: { "X-A": "a\u0000b" } }],
    ["bad date header", { date: undefined, headers: { "X-Sdk-Date": "nope" } }],
    ["invalid date", { date: new Date(NaN) }],
    ["bad body", { body: 42 as unknown as string }],
  ];
  for (const [name, override] of cases) {
    it(name, async () => {
      const input = { ...base, secretKey: secret, ...override };
      let caught: unknown;
      try {
        await computeSignature(input);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(Error);
      let text = "";
      for (let e: unknown = caught; e instanceof Error; e = e.cause) text += `${e.name}: ${e.message}\n${e.stack ?? ""}\n`;
      expect(text).not.toContain(secret);
    });
  }
});
