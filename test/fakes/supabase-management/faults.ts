/** Fault-injection switches of the fake Management API. */

import type { ApiFailure } from "../../../tools/fakes/kit/api-server";

export type InjectedFailure = ApiFailure;

export interface FakeFaults {
  failures: InjectedFailure[];
  /**
   * A slow apply: after a change of SSL enforcement or network restrictions, this many reads still
   * report it as not yet applied (`appliedSuccessfully: false`, `status: stored`).
   */
  slowApplyReads: number;
}

export function defaultFaults(): FakeFaults {
  return { failures: [], slowApplyReads: 0 };
}
