// `exporter --web-config FILE`: exporter-toolkit's web-config.yml (TLS, client certificates,
// bcrypt basic auth, security headers), as node_exporter and Prometheus read it. A throwaway CA,
// server and client certificates are made with openssl in a temporary directory; the exporter
// is asked with curl, Node's https and fetch, and scraped by the real Prometheus. Everything
// listens on 127.0.0.1 on ports the OS picks.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import bcrypt from "bcryptjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { runExporter, startExporter, type RunningExporter } from "./support/exporter.js";
import { startPrometheus, type RunningPrometheus } from "./support/prometheus.js";

const SHIPPED = fileURLToPath(new URL("../deploy/web-config.yml", import.meta.url));
const run = promisify(execFile);

const USER = "prometheus";
const PASSWORD = "correct horse battery staple";
const WRONG = "Tr0ub4dor&3";

let dir: string;
let hash: string;
const file = (name: string): string => path.join(dir, name);

// A CA, and a certificate it signs for `name` (127.0.0.1 for the server, a client otherwise).
async function issue(ca: string, name: string, usage: "serverAuth" | "clientAuth"): Promise<void> {
  await run("openssl", ["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", file(`${name}.key`), "-out", file(`${name}.csr`), "-subj", `/CN=${name}`]);
  const extensions = file(`${name}.ext`);
  writeFileSync(extensions, `extendedKeyUsage=${usage}\n${usage === "serverAuth" ? "subjectAltName=IP:127.0.0.1\n" : ""}`);
  await run("openssl", ["x509", "-req", "-in", file(`${name}.csr`), "-CA", file(`${ca}.crt`), "-CAkey", file(`${ca}.key`), "-CAcreateserial", "-days", "1", "-out", file(`${name}.crt`), "-extfile", extensions]);
}
async function authority(name: string): Promise<void> {
  await run("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", file(`${name}.key`), "-out", file(`${name}.crt`), "-days", "1", "-subj", `/CN=${name}`]);
}

// A web config file in the temporary directory.
function webConfig(name: string, config: unknown): string {
  const target = file(name);
  writeFileSync(target, typeof config === "string" ? config : stringify(config));
  return target;
}

const TLS = () => ({ cert_file: file("server.crt"), key_file: file("server.key") });
const exporterWith = (config: string): Promise<RunningExporter> => startExporter(["--mock", "--listen", "127.0.0.1:0", "--web-config", config]);

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

// One GET through node:https, trusting the test CA only; `client` presents a certificate.
function httpsGet(url: string, options: { auth?: string; client?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        ca: readFileSync(file("ca.crt")),
        ...(options.client ? { cert: readFileSync(file(`${options.client}.crt`)), key: readFileSync(file(`${options.client}.key`)) } : {}),
        ...(options.auth ? { auth: options.auth } : {}),
        agent: false,
      },
      (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (body += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

// curl's status code and exit code: `-w %{http_code}`, the body discarded.
async function curl(args: string[]): Promise<{ exit: number; status: string; headers: string }> {
  const headers = file(`curl-headers-${Math.random().toString(36).slice(2)}`);
  const result = await run("curl", ["--silent", "--show-error", "--max-time", "10", "--noproxy", "*", "-o", "/dev/null", "-D", headers, "-w", "%{http_code}", ...args]).then(
    ({ stdout }) => ({ exit: 0, status: stdout }),
    (error: { code: number; stdout: string }) => ({ exit: error.code, status: error.stdout }),
  );
  let text = "";
  try {
    text = readFileSync(headers, "utf8");
  } catch {
    // No answer, no headers.
  }
  return { ...result, headers: text };
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "codearts-web-config-"));
  await authority("ca");
  await authority("other-ca");
  await issue("ca", "server", "serverAuth");
  await issue("ca", "client", "clientAuth");
  await issue("other-ca", "stranger", "clientAuth");
  // htpasswd -B writes $2y$; bcryptjs writes $2b$: the same algorithm, both accepted.
  hash = bcrypt.hashSync(PASSWORD, 4).replace(/^\$2b\$/, "$2y$");
}, 60_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("tls_server_config", () => {
  it("serves /metrics over TLS with the configured certificate, and prints the https URL", async () => {
    const exporter = await exporterWith(webConfig("tls.yml", { tls_server_config: TLS() }));
    try {
      expect(exporter.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/metrics$/);
      const answer = await httpsGet(exporter.url);
      expect(answer.status).toBe(200);
      expect(answer.body).toContain("codearts_exporter_build_info");
      const byCurl = await curl(["--cacert", file("ca.crt"), exporter.url]);
      expect(byCurl).toMatchObject({ exit: 0, status: "200" });
      // Plain HTTP to the TLS port gets no metrics.
      const plain = await fetch(exporter.url.replace(/^https:/, "http:")).then((response) => response.status, () => "refused");
      expect(plain).not.toBe(200);
    } finally {
      expect(await exporter.stop()).toBe(0);
    }
  });

  it("refuses TLS 1.2 clients with min_version TLS13, and serves TLS 1.3 ones", async () => {
    const exporter = await exporterWith(webConfig("tls13.yml", { tls_server_config: { ...TLS(), min_version: "TLS13" } }));
    try {
      expect(await curl(["--cacert", file("ca.crt"), "--tls-max", "1.2", exporter.url])).toMatchObject({ status: "000" });
      expect(await curl(["--cacert", file("ca.crt"), "--tlsv1.3", exporter.url])).toMatchObject({ exit: 0, status: "200" });
    } finally {
      await exporter.stop();
    }
  });

  it("with RequireAndVerifyClientCert, serves a client with a certificate of client_ca_file and refuses one without, or with another CA's", async () => {
    const exporter = await exporterWith(webConfig("mtls.yml", { tls_server_config: { ...TLS(), client_auth_type: "RequireAndVerifyClientCert", client_ca_file: file("ca.crt") } }));
    try {
      expect(await curl(["--cacert", file("ca.crt"), "--cert", file("client.crt"), "--key", file("client.key"), exporter.url])).toMatchObject({ exit: 0, status: "200" });
      expect((await httpsGet(exporter.url, { client: "client" })).status).toBe(200);
      expect(await curl(["--cacert", file("ca.crt"), exporter.url])).toMatchObject({ status: "000" });
      expect((await curl(["--cacert", file("ca.crt"), exporter.url])).exit).not.toBe(0);
      await expect(httpsGet(exporter.url)).rejects.toThrow();
      await expect(httpsGet(exporter.url, { client: "stranger" })).rejects.toThrow();
    } finally {
      await exporter.stop();
    }
  });

  it("with VerifyClientCertIfGiven, serves a client without a certificate but refuses one with another CA's", async () => {
    const exporter = await exporterWith(webConfig("verify-if-given.yml", { tls_server_config: { ...TLS(), client_auth_type: "VerifyClientCertIfGiven", client_ca_file: file("ca.crt") } }));
    try {
      expect((await httpsGet(exporter.url)).status).toBe(200);
      expect((await httpsGet(exporter.url, { client: "client" })).status).toBe(200);
      await expect(httpsGet(exporter.url, { client: "stranger" })).rejects.toThrow();
    } finally {
      await exporter.stop();
    }
  });

  it("with RequireAnyClientCert, serves any certificate but refuses a client without one", async () => {
    const exporter = await exporterWith(webConfig("require-any.yml", { tls_server_config: { ...TLS(), client_auth_type: "RequireAnyClientCert" } }));
    try {
      expect((await httpsGet(exporter.url, { client: "stranger" })).status).toBe(200);
      await expect(httpsGet(exporter.url)).rejects.toThrow();
    } finally {
      await exporter.stop();
    }
  });
});

describe("basic_auth_users", () => {
  it("answers 401 with WWW-Authenticate: Basic without a password, with a wrong one or an unknown user, and 200 with the right one, on every path", async () => {
    const exporter = await exporterWith(webConfig("auth.yml", { basic_auth_users: { [USER]: hash } }));
    try {
      expect(exporter.url).toMatch(/^http:\/\//);
      const basic = (user: string, password: string) => ({ Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}` });
      for (const pathname of ["/metrics", "/probe?region=cn-north-4", "/-/healthy", "/-/ready", "/", "/nothing"]) {
        for (const headers of [{}, basic(USER, WRONG), basic("someone", PASSWORD), basic(USER, ""), { Authorization: "Bearer x" }]) {
          const response = await fetch(`${exporter.base}${pathname}`, { headers });
          expect({ pathname, status: response.status, challenge: response.headers.get("www-authenticate") }).toEqual({ pathname, status: 401, challenge: "Basic" });
        }
      }
      expect((await fetch(exporter.url, { headers: basic(USER, PASSWORD) })).status).toBe(200);
      expect((await fetch(`${exporter.base}/-/healthy`, { headers: basic(USER, PASSWORD) })).status).toBe(200);
      // Nothing of the password is logged.
      expect(exporter.stderr()).not.toContain(WRONG);
      expect(exporter.stderr()).not.toContain(PASSWORD);
    } finally {
      await exporter.stop();
    }
  });

  it("with TLS: curl without --user, with a wrong one, and with the right one", async () => {
    const exporter = await exporterWith(webConfig("tls-auth.yml", { tls_server_config: TLS(), basic_auth_users: { [USER]: hash } }));
    try {
      const none = await curl(["--cacert", file("ca.crt"), exporter.url]);
      expect(none.status).toBe("401");
      expect(none.headers).toMatch(/^www-authenticate: Basic\r?$/im);
      expect((await curl(["--cacert", file("ca.crt"), "--user", `${USER}:${WRONG}`, exporter.url])).status).toBe("401");
      expect(await curl(["--cacert", file("ca.crt"), "--user", `${USER}:${PASSWORD}`, exporter.url])).toMatchObject({ exit: 0, status: "200" });
      expect((await httpsGet(exporter.url, { auth: `${USER}:${PASSWORD}` })).status).toBe(200);
      expect((await httpsGet(exporter.url, { auth: `${USER}:${WRONG}` })).status).toBe(401);
    } finally {
      await exporter.stop();
    }
  });

  it("pays bcrypt once for a right password: later scrapes with it are answered from memory", async () => {
    // Cost 12: one bcryptjs comparison takes far longer than a cached scrape.
    const slow = bcrypt.hashSync(PASSWORD, 12);
    const exporter = await exporterWith(webConfig("slow.yml", { basic_auth_users: { [USER]: slow } }));
    try {
      const headers = { Authorization: `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString("base64")}` };
      const timed = async (): Promise<number> => {
        const started = performance.now();
        expect((await fetch(`${exporter.base}/-/healthy`, { headers })).status).toBe(200);
        return performance.now() - started;
      };
      const first = await timed();
      let later = 0;
      for (let i = 0; i < 5; i++) later += await timed();
      expect(later).toBeLessThan(first);
    } finally {
      await exporter.stop();
    }
  });
});

describe("http_server_config.headers", () => {
  it("adds the configured security headers to every answer, a 401 too", async () => {
    const exporter = await exporterWith(
      webConfig("headers.yml", {
        http_server_config: { headers: { "X-Frame-Options": "deny", "X-Content-Type-Options": "nosniff", "Content-Security-Policy": "default-src 'none'", "Strict-Transport-Security": "max-age=31536000" } },
        basic_auth_users: { [USER]: hash },
      }),
    );
    try {
      const response = await fetch(exporter.url);
      expect(response.status).toBe(401);
      expect(response.headers.get("x-frame-options")).toBe("deny");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("content-security-policy")).toBe("default-src 'none'");
      expect(response.headers.get("strict-transport-security")).toBe("max-age=31536000");
    } finally {
      await exporter.stop();
    }
  });
});

describe("a web config the exporter cannot use", () => {
  const SECRET_HASH_LOOKALIKE = "not-a-hash-but-a-password";
  const cases: Array<[string, () => string, RegExp]> = [
    ["a missing file", () => file("missing.yml"), /cannot be read: ENOENT/],
    ["a directory", () => (mkdirSync(file("a-directory"), { recursive: true }), file("a-directory")), /is a directory, not a regular file/],
    ["a file over 1 MiB", () => webConfig("huge.yml", `# ${"x".repeat(1024 * 1024)}\n`), /larger than 1 MiB/],
    ["not YAML", () => webConfig("broken.yml", "tls_server_config: [\n  cert_file: x\n"), /is not YAML/],
    ["not a mapping", () => webConfig("list.yml", "- tls_server_config\n"), /is not a mapping/],
    ["an unknown key", () => webConfig("unknown.yml", { tls_server_configs: TLS() }), /unknown key "tls_server_configs"/],
    ["an unknown TLS key", () => webConfig("unknown-tls.yml", { tls_server_config: { ...TLS(), certfile: "x" } }), /unknown key "tls_server_config\.certfile"/],
    ["an option it does not support", () => webConfig("ciphers.yml", { tls_server_config: { ...TLS(), cipher_suites: ["TLS_AES_128_GCM_SHA256"] } }), /tls_server_config\.cipher_suites is not supported/],
    ["rate_limit", () => webConfig("rate.yml", { rate_limit: { interval: "1s", burst: 5 } }), /rate_limit is not supported/],
    ["http2: true", () => webConfig("http2.yml", { http_server_config: { http2: true } }), /http2: true is not supported/],
    ["cert_file without key_file", () => webConfig("no-key.yml", { tls_server_config: { cert_file: file("server.crt") } }), /key_file is required with cert_file/],
    ["client_auth_type without a certificate", () => webConfig("no-cert.yml", { tls_server_config: { client_auth_type: "RequireAndVerifyClientCert" } }), /cert_file and key_file are required/],
    ["a certificate that is not one", () => webConfig("bad-cert.yml", { tls_server_config: { cert_file: webConfig("not-a-cert.pem", "hello\n"), key_file: file("server.key") } }), /cert_file and key_file do not load/],
    ["a key of another certificate", () => webConfig("mismatch.yml", { tls_server_config: { cert_file: file("server.crt"), key_file: file("client.key") } }), /cert_file and key_file do not load/],
    ["a missing certificate file", () => webConfig("missing-cert.yml", { tls_server_config: { cert_file: file("nowhere.crt"), key_file: file("server.key") } }), /cert_file .*cannot be read: ENOENT/],
    ["a client CA that holds no certificate", () => webConfig("bad-ca.yml", { tls_server_config: { ...TLS(), client_auth_type: "RequireAndVerifyClientCert", client_ca_file: webConfig("not-a-ca.pem", "hello\n") } }), /client_ca_file holds no PEM certificate/],
    ["an unknown client_auth_type", () => webConfig("bad-auth-type.yml", { tls_server_config: { ...TLS(), client_auth_type: "RequireClientCert" } }), /client_auth_type must be one of/],
    ["client_ca_file with NoClientCert", () => webConfig("ca-no-auth.yml", { tls_server_config: { ...TLS(), client_ca_file: file("ca.crt") } }), /client_ca_file needs a client_auth_type/],
    ["a TLS version it refuses", () => webConfig("tls11.yml", { tls_server_config: { ...TLS(), min_version: "TLS11" } }), /min_version must be TLS12 or TLS13/],
    ["a hash that is not bcrypt", () => webConfig("plain.yml", { basic_auth_users: { [USER]: SECRET_HASH_LOOKALIKE } }), /basic_auth_users: the password of "prometheus" is not a bcrypt hash/],
    ["a header it does not allow", () => webConfig("header.yml", { http_server_config: { headers: { "X-Powered-By": "me" } } }), /header "X-Powered-By" cannot be configured/],
    ["a header value it does not allow", () => webConfig("header-value.yml", { http_server_config: { headers: { "X-Frame-Options": "allow" } } }), /X-Frame-Options must be deny or sameorigin/],
  ];

  it.each(cases)("%s: exit 3 before listening, one line on stderr naming the file and the problem", async (_name, make, problem) => {
    const config = make();
    const result = await runExporter(["--mock", "--listen", "127.0.0.1:0", "--web-config", config]);
    expect(result.code).toBe(3);
    expect(result.stdout).toBe("");
    const lines = result.stderr.split("\n").filter((line) => line !== "");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`--web-config ${config}`);
    expect(lines[0]).toMatch(problem);
    expect(lines[0]).not.toContain(SECRET_HASH_LOOKALIKE);
  });

  it("never quotes the file's text in a YAML error", async () => {
    const config = webConfig("quoted.yml", `basic_auth_users:\n  ${USER}: ${SECRET_HASH_LOOKALIKE}: more\n`);
    const result = await runExporter(["--mock", "--listen", "127.0.0.1:0", "--web-config", config]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/is not YAML: .* at line 2, column \d+\n$/);
    expect(result.stderr).not.toContain(SECRET_HASH_LOOKALIKE);
  });

  it("is the exporter's option only: the report does not know --web-config", async () => {
    const result = await runExporter(["--web-config"]);
    expect(result.stderr).toContain("--web-config needs a value");
    const report = await (await import("./support/cli.js")).runCli(["--mock", "--web-config", "x.yml"]);
    expect(report.code).toBe(3);
    expect(report.stderr).toContain("unknown option --web-config");
  });
});

describe("the shipped deploy/web-config.yml", () => {
  it("is refused as shipped, until a real bcrypt hash replaces its placeholder", async () => {
    const result = await runExporter(["--mock", "--listen", "127.0.0.1:0", "--web-config", SHIPPED]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/basic_auth_users: the password of "prometheus" is not a bcrypt hash/);
  });

  it("serves https with basic auth once its paths and hash are filled in", async () => {
    const shipped = readFileSync(SHIPPED, "utf8");
    const filled = shipped
      .replace(/^(\s*cert_file:).*$/m, `$1 ${file("server.crt")}`)
      .replace(/^(\s*key_file:).*$/m, `$1 ${file("server.key")}`)
      .replace(/^(\s*prometheus:).*$/m, `$1 '${hash}'`);
    const exporter = await exporterWith(webConfig("shipped.yml", filled));
    try {
      expect((await httpsGet(exporter.url)).status).toBe(401);
      expect((await httpsGet(exporter.url, { auth: `${USER}:${PASSWORD}` })).status).toBe(200);
    } finally {
      await exporter.stop();
    }
  });
});

describe("a real Prometheus scraping over https with basic_auth and tls_config", () => {
  let exporter: RunningExporter;
  let prometheus: RunningPrometheus | undefined;

  beforeAll(async () => {
    exporter = await exporterWith(webConfig("prometheus-web.yml", { tls_server_config: TLS(), basic_auth_users: { [USER]: hash } }));
    const scrape = (job: string, password: string) => ({
      job_name: job,
      scheme: "https",
      metrics_path: "/metrics",
      basic_auth: { username: USER, password },
      tls_config: { ca_file: file("ca.crt") },
      static_configs: [{ targets: [exporter.address] }],
    });
    writeFileSync(file("prometheus.yml"), stringify({ global: { scrape_interval: "1s", scrape_timeout: "1s" }, scrape_configs: [scrape("right", PASSWORD), scrape("wrong", WRONG)] }));
    prometheus = await startPrometheus(file("prometheus.yml"), dir);
  });

  afterAll(async () => {
    await prometheus?.stop();
    expect(await exporter.stop()).toBe(0);
  });

  interface Target {
    labels: { job: string };
    health: string;
    lastError: string;
  }

  it("has the target up with the right password, and down with a 401 with a wrong one", async () => {
    const deadline = Date.now() + 30_000;
    let targets: Target[] = [];
    for (;;) {
      // Until it is ready, Prometheus answers 503 "Service Unavailable", which is not JSON.
      const body = (await fetch(`${prometheus!.api}/targets`)
        .then((response) => response.json())
        .catch(() => undefined)) as { data?: { activeTargets: Target[] } } | undefined;
      targets = body?.data?.activeTargets ?? [];
      if (targets.length === 2 && targets.every((target) => target.health !== "unknown")) break;
      if (prometheus?.exitCode() !== null) throw new Error(`Prometheus exited; its log:\n${prometheus?.log()}`);
      if (Date.now() > deadline) throw new Error(`Prometheus scraped neither job within 30 s: ${JSON.stringify(targets)}; its log:\n${prometheus?.log()}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const byJob = Object.fromEntries(targets.map((target) => [target.labels.job, target]));
    expect(byJob.right).toMatchObject({ health: "up", lastError: "" });
    expect(byJob.wrong?.health).toBe("down");
    expect(byJob.wrong?.lastError).toContain("401");
    const up = (await (await fetch(`${prometheus!.api}/query?query=${encodeURIComponent("up")}`)).json()) as { data: { result: Array<{ metric: { job: string }; value: [number, string] }> } };
    expect(Object.fromEntries(up.data.result.map((series) => [series.metric.job, series.value[1]]))).toEqual({ right: "1", wrong: "0" });
  });
});
