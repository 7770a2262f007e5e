/**
 * The Supabase Management OpenAPI document the fake is faithful to (a verbatim copy kept beside
 * the fake), its operations indexed for routing by the fake kit, and Ajv validators built from its own schemas
 * for path parameters, request bodies and responses.
 */

import * as path from "node:path";
import Ajv, { type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import * as kit from "../../../tools/fakes/kit/spec";

type Schema = Record<string, unknown>;

export type OpenApiDoc = kit.OpenApiDoc<Schema>;
export type SpecOperation = kit.SpecOperation<Schema>;

export const SPEC_PATH = path.join(__dirname, "supabase-management-openapi.json");

export const loadSpec = kit.specLoader<Schema>(SPEC_PATH, JSON.parse);

/** Every operation, literal paths before parameterised ones so `/apply` wins over a parameter. */
export function specOperations(doc: OpenApiDoc = loadSpec()): SpecOperation[] {
  return kit.specOperations(doc);
}

/** Object schemas with declared properties are closed unless the spec opens them (see SPEC.md). */
function closed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(closed);
  if (!value || typeof value !== "object") return value;
  const schema = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, closed(v)])) as Schema;
  const combined = "allOf" in schema || "oneOf" in schema || "anyOf" in schema;
  if (schema.type === "object" && schema.properties && !("additionalProperties" in schema) && !combined) {
    schema.additionalProperties = false;
  }
  return schema;
}

const SPEC_ID = "supabase-management.json";

/** Validators compiled on first use, keyed by operation and part. */
export class SpecValidator {
  private readonly ajv: Ajv;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(doc: OpenApiDoc = loadSpec()) {
    // OpenAPI 3.0 keywords Ajv does not know (`example`) are annotations; `nullable` it supports.
    this.ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: SPEC_ID, components: closed(doc.components) });
  }

  private validator(key: string, schema: Schema): ValidateFunction {
    let fn = this.compiled.get(key);
    if (!fn) {
      const rebased = JSON.parse(
        JSON.stringify(closed(schema)).replaceAll('"#/components/', `"${SPEC_ID}#/components/`),
      );
      fn = this.ajv.compile(rebased as Schema);
      this.compiled.set(key, fn);
    }
    return fn;
  }

  private problems(key: string, schema: Schema | undefined, value: unknown, at: string): string[] {
    if (!schema) return [];
    const fn = this.validator(key, schema);
    if (fn(value)) return [];
    return (fn.errors ?? []).map((e) => {
      const extra = e.keyword === "additionalProperties" ? ` (${String(e.params.additionalProperty)})` : "";
      return `${at}${e.instancePath}: ${e.message ?? e.keyword}${extra}`;
    });
  }

  /** Problems of the path parameters against their declared schemas. */
  params(op: SpecOperation, params: Record<string, string>): string[] {
    return (op.op.parameters ?? [])
      .filter((p) => p.in === "path" && p.name in params)
      .flatMap((p) => this.problems(`${op.operationId} path ${p.name}`, p.schema, params[p.name], p.name));
  }

  /** Problems of a JSON request body; a missing required body is one. */
  body(op: SpecOperation, body: unknown): string[] {
    const content = op.op.requestBody?.content?.["application/json"];
    if (body === undefined) return op.op.requestBody?.required ? ["body: is required"] : [];
    if (!content) return ["body: the operation takes no JSON body"];
    return this.problems(`${op.operationId} body`, content.schema, body, "body");
  }

  /** Problems of a success: its status must be declared, its body must match the declared schema. */
  response(op: SpecOperation, status: number, body: unknown): string[] {
    if (status < 200 || status > 299) return [];
    const declared = op.op.responses?.[String(status)];
    if (!declared) return [`status ${status} is not a declared response of ${op.operationId}`];
    const schema = declared.content?.["application/json"]?.schema;
    if (!schema) return [];
    return this.problems(`${op.operationId} response ${status}`, schema, body, "response");
  }
}
