// The files the client reads from the user's disk (the credentials file, the regions file), read
// as files. Whatever sits at their path is the user's to choose, by mistake too: a FIFO would
// hang the read until something writes to it, a link to /dev/zero or a huge file would be read
// into memory whole. So only a regular file of a bounded size is read, and anything else is
// refused at once, before a byte is read.
import type { Stats } from "node:fs";
import { nodeModule } from "./environment.js";

/** The largest credentials or regions file read, in bytes (1 MiB): real ones are a few hundred bytes. */
export const MAX_LOCAL_FILE_BYTES = 1024 * 1024;

/** Why a local file was not read: `problem` in words (never its content), `code` the system's error code when there was one. */
export class LocalFileError extends Error {
  override name = "LocalFileError";
  constructor(
    readonly problem: string,
    readonly code?: string,
  ) {
    super(problem);
  }
}

/** A local file's text, and its permission bits (`0o644`). */
export interface LocalFile {
  text: string;
  mode: number;
}

/**
 * The text (UTF-8) of the file at `path`, links followed, when it is a regular file of at most
 * `maxBytes`; undefined where there is no file system (a browser). Rejects with a
 * {@link LocalFileError} otherwise, at once: a FIFO is never waited on, a device never read.
 */
export async function readLocalFile(path: string, maxBytes = MAX_LOCAL_FILE_BYTES): Promise<LocalFile | undefined> {
  const fs = await nodeModule("node:fs/promises");
  if (!fs) return undefined;
  let handle: Awaited<ReturnType<typeof fs.open>> | undefined;
  try {
    // Checked before opening, so that no device is ever opened; and again on the open file, in
    // case the path changed in between. O_NONBLOCK lets a FIFO open without waiting for a writer.
    refuseUnlessFile(await fs.stat(path), maxBytes);
    handle = await fs.open(path, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    const stats = await handle.stat();
    refuseUnlessFile(stats, maxBytes);
    // Read in chunks up to one byte past the cap: a file that grew since fstat still stops there.
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const chunk = new Uint8Array(Math.min(64 * 1024, maxBytes + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > maxBytes) throw new LocalFileError(`is larger than ${sizeInWords(maxBytes)}`);
    }
    const bytes = new Uint8Array(total);
    let at = 0;
    for (const chunk of chunks) bytes.set(chunk, (at += chunk.length) - chunk.length);
    return { text: new TextDecoder().decode(bytes), mode: stats.mode & 0o777 };
  } catch (error) {
    if (error instanceof LocalFileError) throw error;
    const code = (error as { code?: unknown } | null)?.code;
    throw new LocalFileError(`cannot be read: ${typeof code === "string" ? code : "error"}`, typeof code === "string" ? code : undefined);
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

function refuseUnlessFile(stats: Stats, maxBytes: number): void {
  if (!stats.isFile()) {
    const kinds: Array<[boolean, string]> = [
      [stats.isFIFO(), "a FIFO"],
      [stats.isCharacterDevice(), "a character device"],
      [stats.isBlockDevice(), "a block device"],
      [stats.isDirectory(), "a directory"],
      [stats.isSocket(), "a socket"],
    ];
    const kind = kinds.find(([is]) => is)?.[1];
    throw new LocalFileError(kind ? `is ${kind}, not a regular file` : "is not a regular file");
  }
  if (stats.size > maxBytes) throw new LocalFileError(`is larger than ${sizeInWords(maxBytes)}`);
}

const sizeInWords = (bytes: number): string => (bytes % 1024 ** 2 === 0 ? `${bytes / 1024 ** 2} MiB` : bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${bytes} bytes`);
