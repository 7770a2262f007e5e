/**
 * The Supabase Storage OpenAPI document the fake is faithful to (a verbatim copy of the published
 * spec kept beside it), indexed for routing by the fake kit: `{param}` is one path segment, `{*}` the
 * rest of the path.
 */

import * as path from "path";
import * as kit from "../kit/spec";

export type JsonSchema = kit.JsonSchema;
export type OpenApiDoc = kit.OpenApiDoc<JsonSchema>;
export type SpecOperation = kit.SpecOperation<JsonSchema>;

export const SPEC_PATH = path.join(__dirname, "supabase-storage-openapi.json");

export const loadSpec = kit.specLoader<JsonSchema>(SPEC_PATH, JSON.parse);

/**
 * Every operation, literal paths first, so `/object/list/{bucketName}` wins over
 * `/object/{bucketName}/{*}`; a path matches with or without its trailing slash, as Storage's router does.
 */
export function specOperations(doc: OpenApiDoc = loadSpec()): SpecOperation[] {
  return kit.specOperations(doc, { trailingSlash: true });
}

export { matchOperation } from "../kit/spec";
