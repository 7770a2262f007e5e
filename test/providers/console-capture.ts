/** Everything a test's code writes to the console, kept instead of printed, to search for secrets. */

import { afterEach, beforeEach, vi } from "vitest";

/** Registers hooks and returns the lines the current test logged, at any level. */
export function captureConsole(): string[] {
  const logged: string[] = [];
  beforeEach(() => {
    logged.length = 0;
    for (const level of ["log", "info", "warn", "error", "debug"] as const) {
      vi.spyOn(console, level).mockImplementation(
        (...args: unknown[]) => void logged.push(args.map(String).join(" ")),
      );
    }
  });
  afterEach(() => vi.restoreAllMocks());
  return logged;
}
