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
 * 1 MiB; undefined where there is no file system (a browser). Rejects with a
 * {@link LocalFileError} otherwise, at once: a FIFO is never waited on, a device never read.
 */
export async function readLocalFile(path: string): Promise<LocalFile | undefined> {
  const fs = await nodeModule("node:fs/promises");
  if (!fs) return undefined;
  let handle: Awaited<ReturnType<typeof fs.open>> | undefined;
  try {
    // Checked before opening, so that no device is ever opened; and again on the open file, in
    // case the path changed in between. O_NONBLOCK lets a FIFO open without waiting for a writer.
    refuseUnlessFile(await fs.stat(path));
    handle = await fs.open(path, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    const stats = await handle.stat();
    refuseUnlessFile(stats);
    // Up to one byte past the cap: a file that grew since fstat still stops there.
    const bytes = new Uint8Array(MAX_LOCAL_FILE_BYTES + 1);
    let total = 0;
    while (total < bytes.length) {
      const { bytesRead } = await handle.read(bytes, total, bytes.length - total, null);
      if (bytesRead === 0) break;
      total += bytesRead;
    }
    if (total > MAX_LOCAL_FILE_BYTES) throw new LocalFileError(TOO_LARGE);
    return { text: new TextDecoder().decode(bytes.subarray(0, total)), mode: stats.mode & 0o777 };
  } catch (error) {
    if (error instanceof LocalFileError) throw error;
    const code = (error as { code?: unknown } | null)?.code;
    throw new LocalFileError(`cannot be read: ${typeof code === "string" ? code : "error"}`, typeof code === "string" ? code : undefined);
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

const TOO_LARGE = "is larger than 1 MiB";

function refuseUnlessFile(stats: Stats): void {
  if (!stats.isFile()) {
    const kind = stats.isFIFO() ? "a FIFO" : stats.isCharacterDevice() ? "a character device" : stats.isDirectory() ? "a directory" : undefined;
    throw new LocalFileError(kind ? `is ${kind}, not a regular file` : "is not a regular file");
  }
  if (stats.size > MAX_LOCAL_FILE_BYTES) throw new LocalFileError(TOO_LARGE);
}
