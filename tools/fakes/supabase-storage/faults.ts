/** Fault-injection switches of the fake Storage API. */

import type { FailureMatch } from "../kit/faults";

export interface InjectedFailure extends FailureMatch {
  /** HTTP status answered instead of handling the request (429, 500, 503…). */
  status?: number;
  /** Error text of the injected answer (e.g. one echoing a credential, as a careless server might). */
  message?: string;
  /** Retry-After header value, sent as is. */
  retryAfter?: string;
  /**
   * Cut the connection after this many bytes of the request body have arrived, answering nothing:
   * an upload broken mid-way. Nothing of it becomes visible.
   */
  cutAfterBytes?: number;
}
