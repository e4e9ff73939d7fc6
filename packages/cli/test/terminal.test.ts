import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { colorFor, terminalFor } from "../src/terminal.js";

const TTY = { isTTY: true, columns: 120 };
const PIPE = { isTTY: false };

describe("colorFor", () => {
  it.each<[string, { isTTY?: boolean }, Record<string, string>, boolean]>([
    ["a terminal", TTY, {}, true],
    ["a pipe", PIPE, {}, false],
    ["NO_COLOR on a terminal", TTY, { NO_COLOR: "1" }, false],
    ["an empty NO_COLOR (unset, per no-color.org)", TTY, { NO_COLOR: "" }, true],
    ["TERM=dumb on a terminal", TTY, { TERM: "dumb" }, false],
    ["TERM=xterm-256color on a terminal", TTY, { TERM: "xterm-256color" }, true],
    ["FORCE_COLOR=1 on a pipe", PIPE, { FORCE_COLOR: "1" }, true],
    ["FORCE_COLOR=2 on a pipe", PIPE, { FORCE_COLOR: "2" }, true],
    ["FORCE_COLOR=3 on a pipe", PIPE, { FORCE_COLOR: "3" }, true],
    ["an empty FORCE_COLOR on a pipe (Node reads it as on)", PIPE, { FORCE_COLOR: "" }, true],
    ["FORCE_COLOR=0 on a terminal", TTY, { FORCE_COLOR: "0" }, false],
    ["FORCE_COLOR=false on a terminal", TTY, { FORCE_COLOR: "false" }, false],
    ["FORCE_COLOR=1 with TERM=dumb", PIPE, { FORCE_COLOR: "1", TERM: "dumb" }, true],
    ["NO_COLOR with FORCE_COLOR=1: NO_COLOR wins", PIPE, { NO_COLOR: "1", FORCE_COLOR: "1" }, false],
  ])("%s", (_name, stream, env, expected) => {
    expect(colorFor(stream, env)).toBe(expected);
  });

  it("NO_COLOR set to anything turns color off whatever else is set", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.option(fc.string(), { nil: undefined }), fc.option(fc.string(), { nil: undefined }), fc.boolean(), (noColor, force, term, isTTY) => {
        const env: Record<string, string> = { NO_COLOR: noColor };
        if (force !== undefined) env.FORCE_COLOR = force;
        if (term !== undefined) env.TERM = term;
        expect(colorFor({ isTTY }, env)).toBe(false);
      }),
    );
  });
});

describe("terminalFor", () => {
  it("fits a terminal's width, 80 when it reports none, and never a pipe", () => {
    expect(terminalFor(TTY, {}).width).toBe(120);
    expect(terminalFor({ isTTY: true }, {}).width).toBe(80);
    expect(terminalFor({ isTTY: true, columns: 0 }, {}).width).toBe(80);
    expect(terminalFor({ ...PIPE, columns: 120 }, {}).width).toBeUndefined();
  });
});
