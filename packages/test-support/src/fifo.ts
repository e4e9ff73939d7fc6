// FIFOs for the tests that check a file is read only when it is a regular file. A reader that
// still blocks opening one (the bug those tests guard against) holds a thread of libuv's pool and
// keeps the test worker from exiting, so every FIFO made is released after each test.
import { execFileSync } from "node:child_process";
import { closeSync, constants, openSync } from "node:fs";
import path from "node:path";

/** Makes FIFOs and releases every one made so far. */
export interface Fifos {
  /** Makes a FIFO named `name` in `dir` and returns its path. */
  make(dir: string, name: string): string;
  /** Opens the write end of every FIFO made, so that a reader blocked on one goes on; call it after each test. */
  release(): void;
}

/** A maker of FIFOs (`mkfifo`) that releases them. */
export function fifos(): Fifos {
  let made: string[] = [];
  return {
    make(dir, name) {
      const file = path.join(dir, name);
      execFileSync("mkfifo", [file]);
      made.push(file);
      return file;
    },
    release() {
      for (const fifo of made) {
        try {
          closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
        } catch {
          // No reader waiting: nothing to release.
        }
      }
      made = [];
    },
  };
}
