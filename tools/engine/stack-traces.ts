/**
 * The SDK captures a stack trace for every promise it tracks (`new Error().stack`) and a full one,
 * source-mapped and parsed, for every resource it registers (the resource's source position). The
 * offline engine records neither, and formatting them was a third of an offline run. While the
 * program runs, traces are not captured for promises and not formatted for resources: errors keep
 * their name and message. LAUNCHPAD_STACK_TRACES=1 keeps everything, for debugging a crash.
 */
export async function withoutStackTraces<T>(run: () => Promise<T>): Promise<T> {
  if (process.env["LAUNCHPAD_STACK_TRACES"] === "1") return run();
  const limit = Error.stackTraceLimit;
  const prepare = Error.prepareStackTrace;
  const sourceMaps = process.sourceMapsEnabled;
  Error.stackTraceLimit = 0;
  // A resource raises the limit to capture its frames; this keeps them from being formatted.
  Error.prepareStackTrace = (error: Error) => `${error.name}: ${error.message}`;
  process.setSourceMapsEnabled(false);
  try {
    return await run();
  } finally {
    Error.stackTraceLimit = limit;
    Error.prepareStackTrace = prepare;
    process.setSourceMapsEnabled(sourceMaps);
  }
}
