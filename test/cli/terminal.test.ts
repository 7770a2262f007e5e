import { describe, expect, it } from "vitest";
import { didYouMean, editDistance, nearestName } from "../../tools/cli/did-you-mean";
import {
  colorEnabled,
  fitLine,
  lineWidth,
  shortResourceName,
  shortType,
  styleFor,
  wrapText,
} from "../../tools/cli/terminal";

const tty = (env: Record<string, string>, columns = 100) => ({ isTTY: true, columns, env });
const pipe = (env: Record<string, string>) => ({ isTTY: false, env });

describe("colour decision", () => {
  it("colours a terminal and not a pipe", () => {
    expect(colorEnabled(tty({}))).toBe(true);
    expect(colorEnabled(pipe({}))).toBe(false);
    expect(colorEnabled(tty({ TERM: "dumb" }))).toBe(false);
  });

  it("NO_COLOR turns colour off, even on a terminal and against FORCE_COLOR; empty NO_COLOR does not", () => {
    expect(colorEnabled(tty({ NO_COLOR: "1" }))).toBe(false);
    expect(colorEnabled(pipe({ NO_COLOR: "1", FORCE_COLOR: "1" }))).toBe(false);
    expect(colorEnabled(tty({ NO_COLOR: "" }))).toBe(true);
  });

  it("FORCE_COLOR colours a pipe; FORCE_COLOR=0 or false keeps a terminal plain", () => {
    expect(colorEnabled(pipe({ FORCE_COLOR: "1" }))).toBe(true);
    expect(colorEnabled(pipe({ FORCE_COLOR: "3" }))).toBe(true);
    expect(colorEnabled(tty({ FORCE_COLOR: "0" }))).toBe(false);
    expect(colorEnabled(tty({ FORCE_COLOR: "false" }))).toBe(false);
  });

  it("a style without colour paints nothing; with colour it emits escapes", () => {
    expect(styleFor(pipe({})).colors.red("x")).toBe("x");
    expect(styleFor(pipe({ FORCE_COLOR: "1" })).colors.red("x")).toBe("\u001b[31mx\u001b[39m");
  });
});

describe("line width", () => {
  it("is the terminal's, COLUMNS when set, and none for a pipe", () => {
    expect(lineWidth(tty({}, 120))).toBe(120);
    expect(lineWidth(tty({ COLUMNS: "72" }, 120))).toBe(72);
    expect(lineWidth(pipe({ COLUMNS: "64" }))).toBe(64);
    expect(lineWidth(pipe({}))).toBeUndefined();
    expect(lineWidth(pipe({ COLUMNS: "wide" }))).toBeUndefined();
  });

  it("cuts a line to the width with an ellipsis, before colouring", () => {
    const red = (t: string) => `<${t}>`;
    expect(fitLine([["abc"], ["defgh", red]], 6)).toBe("abc<de>…");
    expect(fitLine([["abc"], ["defgh", red]], 8)).toBe("abc<defgh>");
    expect(fitLine([["abc"], ["defgh", red]], undefined)).toBe("abc<defgh>");
    expect(fitLine([["abcdef"], ["gh", red]], 5)).toBe("abcd…");
  });

  it("wraps prose at words, indenting continuation lines", () => {
    expect(wrapText("one two three four", 12, "  ", "- ")).toEqual(["- one two", "  three four"]);
    expect(wrapText("one two three four", undefined, "  ", "- ")).toEqual(["- one two three four"]);
    for (const line of wrapText("a ".repeat(100).trim(), 20, "    "))
      expect(line.length).toBeLessThanOrEqual(20);
  });
});

describe("short resource names", () => {
  it("name a resource by its logical name and the last part of its type", () => {
    expect(
      shortResourceName(
        "urn:pulumi:prod::launchpad::pulumi:pulumi:Stack$launchpad:index:App$launchpad:fly:Backend$pulumi-nodejs:dynamic/fly:Machine::mapquiz-backend-api-machine-1",
      ),
    ).toBe("mapquiz-backend-api-machine-1 [fly:Machine]");
    expect(shortResourceName("urn:pulumi:dev::launchpad::vercel:index/project:Project::web")).toBe(
      "web [vercel:Project]",
    );
    expect(shortType("launchpad:index:App")).toBe("launchpad:App");
  });
});

describe("did you mean", () => {
  it("suggests the nearest known name only when it is a likely typo", () => {
    expect(editDistance("plna", "plan")).toBe(2);
    expect(nearestName("mapquizz", ["sheet2scene", "mapquiz"])).toBe("mapquiz");
    expect(nearestName("zzz", ["sheet2scene", "mapquiz"])).toBeUndefined();
    expect(didYouMean("audti", ["plan", "audit"])).toBe(' (did you mean "audit"?)');
    expect(didYouMean("deploy", ["plan", "audit", "sql"])).toBe("");
  });
});
