/**
 * The Management API through the shared REST core: Supabase's settings and token, read from the
 * environment on every call, and its error shape.
 */

import { restRequest, type RestRequest, type RestResponse } from "../http/request";
import { supabaseApiError } from "./errors";
import { readSettings, readToken } from "./settings";

export async function managementRequest<T>(req: RestRequest): Promise<RestResponse<T>> {
  return restRequest<T>(
    {
      settings: readSettings(),
      token: readToken(),
      error: (f) => supabaseApiError(f.status, f.resource, f.operation, f.text),
    },
    req,
  );
}
