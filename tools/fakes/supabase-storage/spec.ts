/**
 * The Supabase Storage OpenAPI document the fake is faithful to (a verbatim copy of the published
 * spec kept beside it), indexed for routing by the fake kit: `{param}` is one path segment, `{*}` the
 * rest of the path.
 */

import * as fs from "fs";
import * as path from "path";
import * as kit from "../kit/spec";

export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  required?: string[];
  minItems?: number;
  minimum?: number;
  maximum?: number;
};

export type OpenApiDoc = kit.OpenApiDoc<JsonSchema>;
export type SpecOperation = kit.SpecOperation<JsonSchema>;

export const SPEC_PATH = path.join(__dirname, "supabase-storage-openapi.json");

let cached: OpenApiDoc | undefined;

export function loadSpec(): OpenApiDoc {
  cached ??= JSON.parse(fs.readFileSync(SPEC_PATH, "utf8")) as OpenApiDoc;
  return cached;
}

/**
 * Every operation, literal paths first, so `/object/list/{bucketName}` wins over
 * `/object/{bucketName}/{*}`; a path matches with or without its trailing slash, as Storage's router does.
 */
export function specOperations(doc: OpenApiDoc = loadSpec()): SpecOperation[] {
  return kit.specOperations(doc, { trailingSlash: true });
}

export { matchOperation, responseSchema } from "../kit/spec";
