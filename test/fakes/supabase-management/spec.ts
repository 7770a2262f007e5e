/**
 * The Supabase Management OpenAPI document the fake is faithful to (a verbatim copy kept beside
 * the fake), its operations indexed for routing by the fake kit, and the Ajv validator built from its
 * own schemas for path parameters, request bodies and responses.
 */

import * as path from "node:path";
import * as kit from "../../../tools/fakes/kit/spec";
import { OpenApiValidator } from "../openapi-validator";

type Schema = Record<string, unknown>;

export type OpenApiDoc = kit.OpenApiDoc<Schema>;
export type SpecOperation = kit.SpecOperation<Schema>;

export const SPEC_PATH = path.join(__dirname, "supabase-management-openapi.json");

export const loadSpec = kit.specLoader<Schema>(SPEC_PATH, JSON.parse);

/** Every operation, literal paths before parameterised ones so `/apply` wins over a parameter. */
export function specOperations(doc: OpenApiDoc = loadSpec()): SpecOperation[] {
  return kit.specOperations(doc);
}

/** Object schemas are read as closed unless the spec opens them (see SPEC.md). */
export class SpecValidator extends OpenApiValidator {
  constructor(doc: OpenApiDoc = loadSpec()) {
    super(doc, { id: "supabase-management.json", closeObjects: true });
  }
}
