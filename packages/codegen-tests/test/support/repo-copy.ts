// A throwaway copy of the repository that behaves like a contributor's clone: its own git history
// (one commit of the working tree), its own install, and its own empty turbo cache, so nothing
// this suite does reaches the real checkout or its cache.
import { spawn, execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Absolute path of the repository this suite belongs to. */
export const repoRoot = path.resolve(fileURLToPath(import.meta.url), "../../../../..");

/** What a finished command printed (stdout and stderr interleaved) and how it exited. */
export interface CommandResult {
  readonly code: number;
  readonly output: string;
  readonly seconds: number;
}

/**
 * The environment of every command in the copy. Settings inherited from an outer turbo, pnpm
 * or vitest run are dropped: an inherited TURBO_CACHE_DIR would point the copy at the real
 * cache, and VITEST_* variables would confuse the vitest runs inside the copy.
 */
function copyEnv(): NodeJS.ProcessEnv {
  const inherited = Object.entries(process.env).filter(([key]) => !/^(TURBO_|VITEST|npm_|PNPM_)|^(NODE_ENV|TEST)$/.test(key));
  return {
    ...Object.fromEntries(inherited),
    TURBO_TELEMETRY_DISABLED: "1",
    TURBO_DAEMON: "false",
    REDOCLY_TELEMETRY: "off",
    REDOCLY_SUPPRESS_UPDATE_NOTICE: "true",
    REDOCLY_SUPPRESS_NODE_VERSION_WARNING: "true",
    NPM_CONFIG_UPDATE_NOTIFIER: "false",
    COREPACK_ENABLE_DOWNLOAD_PROMPT: "0",
    // `pnpm test` in the copy must not start this suite again.
    CODEARTS_SKIP_CODEGEN_LOOP: "1",
    GIT_AUTHOR_NAME: "codegen loop",
    GIT_AUTHOR_EMAIL: "codegen-loop@example.invalid",
    GIT_COMMITTER_NAME: "codegen loop",
    GIT_COMMITTER_EMAIL: "codegen-loop@example.invalid",
  };
}

/** A copy of the repository in a temporary folder. */
export class RepoCopy {
  private constructor(
    /** Absolute path of the copy. */
    readonly dir: string,
  ) {}

  /**
   * Copies the working tree as git would commit it (tracked and new files, ignored ones such as
   * node_modules, dist and .turbo left out), commits it, and installs from the lockfile offline so
   * that the workspace links point into the copy.
   */
  static async create(): Promise<RepoCopy> {
    const copy = new RepoCopy(mkdtempSync(path.join(os.tmpdir(), "codegen-loop-")));
    const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: repoRoot, encoding: "utf8" });
    for (const file of files.split("\0").filter(Boolean)) {
      const source = path.join(repoRoot, file);
      if (!existsSync(source)) continue; // deleted in the working tree, not yet committed
      mkdirSync(path.dirname(path.join(copy.dir, file)), { recursive: true });
      cpSync(source, path.join(copy.dir, file));
    }
    copy.git("init", "-q", "-b", "main");
    copy.git("add", "-A");
    copy.git("commit", "-q", "--no-verify", "-m", "the working tree under test");
    await copy.mustRun("pnpm", ["install", "--offline", "--frozen-lockfile"]);
    return copy;
  }

  /** Runs a command in the copy; never throws on a non-zero exit. */
  run(command: string, args: readonly string[]): Promise<CommandResult> {
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const child = spawn(command, args, { cwd: this.dir, env: copyEnv(), stdio: ["ignore", "pipe", "pipe"] });
      const chunks: Buffer[] = [];
      child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
      child.stderr.on("data", (chunk: Buffer) => chunks.push(chunk));
      child.on("error", reject);
      child.on("close", (code) => {
        const output = Buffer.concat(chunks).toString("utf8").replace(/\x1b\[[0-9;]*m/g, "");
        resolve({ code: code ?? 1, output, seconds: (performance.now() - started) / 1000 });
      });
    });
  }

  /** Like `run`, but a non-zero exit fails with the end of the command's output. */
  async mustRun(command: string, args: readonly string[]): Promise<CommandResult> {
    const result = await this.run(command, args);
    if (result.code !== 0) throw new Error(`${command} ${args.join(" ")} exited ${result.code}:\n${tail(result.output, 60)}`);
    return result;
  }

  /** Runs git in the copy and returns what it printed. */
  git(...args: string[]): string {
    return execFileSync("git", args, { cwd: this.dir, env: copyEnv(), encoding: "utf8" });
  }

  /** Reads a file of the copy as text. */
  read(file: string): string {
    return readFileSync(path.join(this.dir, file), "utf8");
  }

  /**
   * Every file `pnpm generate` writes, as committed: the generated folders and the types
   * package's manifest (it records the spec's hash).
   */
  generatedFiles(): string[] {
    return this.git("ls-files", "-z", "--", ":(glob)packages/**/generated/**", "packages/types/package.json").split("\0").filter(Boolean);
  }

  /** Files whose bytes on disk differ from the committed blob, with both SHA-256 digests. */
  differingFromCommit(files: readonly string[]): Array<{ file: string; committed: string; onDisk: string }> {
    return files
      .map((file) => ({
        file,
        committed: sha256(execFileSync("git", ["show", `HEAD:${file}`], { cwd: this.dir, maxBuffer: 64 * 1024 * 1024 })),
        onDisk: existsSync(path.join(this.dir, file)) ? sha256(readFileSync(path.join(this.dir, file))) : "(missing)",
      }))
      .filter((entry) => entry.committed !== entry.onDisk);
  }

  /** Deletes the copy. */
  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The SHA-256 digest of some bytes, in hex. */
export function sha256(bytes: Buffer | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** The last `lines` lines of a command's output, for failure messages. */
export function tail(output: string, lines: number): string {
  return output.trimEnd().split("\n").slice(-lines).join("\n");
}
