/** Fault-injection switches of the fake Fly API. */

import type { ApiFailure } from "../../../tools/fakes/kit/api-server";

export type InjectedFailure = ApiFailure;

export interface FakeFaults {
  failures: InjectedFailure[];
  /** Real delay before every response, in ms (a slow API). */
  latencyMs: number;
  /** Checks of every machine stay `critical`. */
  healthNeverPasses: boolean;
  /** Checks stay `critical` for machines running these images. */
  unhealthyImages: Set<string>;
  /** Image → clock ticks after a start before its checks pass (an app slow to boot). */
  slowImages: Map<string, number>;
  /** Exit code of one-shot (auto_destroy) machines such as release commands. */
  releaseExitCode: number;
  /** Answer without a `Date` header (a server with no clock; the client then times on its own). */
  omitDate: boolean;
  /** Lease responses: `wrapped` as the live API (`{status, data}`), or `flat` as the spec documents. */
  leaseShape: "wrapped" | "flat";
}

export function defaultFaults(): FakeFaults {
  return {
    failures: [],
    latencyMs: 0,
    healthNeverPasses: false,
    unhealthyImages: new Set(),
    slowImages: new Map(),
    releaseExitCode: 0,
    omitDate: false,
    leaseShape: "wrapped",
  };
}
