/**
 * The Machines API through the shared REST core: Fly's settings and token, read from the
 * environment on every call, and Fly's error shape.
 */

import { restRequest, type HttpMethod, type RestRequest, type RestResponse } from "../http/request";
import { flyApiError } from "./errors";
import { readSettings, readToken } from "./settings";

export type { HttpMethod };

export interface FlyRequest extends RestRequest {
  /** Path under the base URL, starting with `/v1/`; callers encode path segments. */
  path: string;
}

export type FlyResponse<T> = RestResponse<T>;

export async function flyRequest<T>(req: FlyRequest): Promise<FlyResponse<T>> {
  return restRequest<T>(
    {
      settings: readSettings(),
      token: readToken(),
      error: (f) => flyApiError(f.status, f.resource, f.operation, f.text, f.code),
    },
    req,
  );
}
