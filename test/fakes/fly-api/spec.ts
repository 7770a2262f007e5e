/**
 * The Fly Machines OpenAPI document the fake is faithful to (a verbatim copy of the published spec
 * kept beside the fake, so a fresh clone tests without anything else), with its operations indexed
 * for routing by the fake kit.
 */

import * as path from "node:path";
import { parse } from "yaml";
import * as kit from "../../../tools/fakes/kit/spec";

export type JsonSchema = kit.JsonSchema;
export type OpenApiDoc = kit.OpenApiDoc<JsonSchema>;
export type SpecOperation = kit.SpecOperation<JsonSchema>;

export const SPEC_PATH = path.join(__dirname, "fly-machines-openapi.yml");

export const loadSpec = kit.specLoader<JsonSchema>(SPEC_PATH, parse);

/** Every operation of the spec, literal paths before parameterised ones so `/acme` wins over `{hostname}`. */
export function specOperations(doc: OpenApiDoc = loadSpec()): SpecOperation[] {
  return kit.specOperations(doc);
}
