/**
 * Ajv validators built from an OpenAPI document's own schemas, for the fakes' requests (path
 * parameters, bodies) and answers; compiled on first use, keyed by operation and part.
 */

import Ajv, { type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { type OpenApiDoc, responseSchema, type SpecOperation } from "../../tools/fakes/kit/spec";

type Schema = Record<string, unknown>;

/** Object schemas with declared properties, closed unless the spec opens them. */
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

export interface OpenApiValidatorOptions {
  /** The `$id` the document's components are registered under. */
  readonly id: string;
  /**
   * Read object schemas as closed: a property the spec does not declare is refused (stricter than
   * a live API on purpose, so a client typo fails here instead of being ignored in production).
   */
  readonly closeObjects: boolean;
}

export class OpenApiValidator {
  private readonly ajv: Ajv;
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly shape: (schema: unknown) => unknown;

  constructor(
    doc: OpenApiDoc<Schema>,
    private readonly options: OpenApiValidatorOptions,
  ) {
    this.shape = options.closeObjects ? closed : (schema) => schema;
    // OpenAPI 3.0 keywords Ajv does not know (`example`) are annotations; `nullable` it supports.
    this.ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: options.id, components: this.shape(doc.components) });
  }

  private validator(key: string, schema: Schema): ValidateFunction {
    let fn = this.compiled.get(key);
    if (!fn) {
      const rebased = JSON.parse(
        JSON.stringify(this.shape(schema)).replaceAll('"#/components/', `"${this.options.id}#/components/`),
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
  params(op: SpecOperation<Schema>, params: Record<string, string>): string[] {
    return (op.op.parameters ?? [])
      .filter((p) => p.in === "path" && p.name in params)
      .flatMap((p) => this.problems(`${op.operationId} path ${p.name}`, p.schema, params[p.name], p.name));
  }

  /** Problems of a JSON request body; a missing required body is one. */
  body(op: SpecOperation<Schema>, body: unknown): string[] {
    const content = op.op.requestBody?.content?.["application/json"];
    if (body === undefined) return op.op.requestBody?.required ? ["body: is required"] : [];
    if (!content) return ["body: the operation takes no JSON body"];
    return this.problems(`${op.operationId} body`, content.schema, body, "body");
  }

  /** Problems of a success: its status must be declared, its body must match the declared schema. */
  response(op: SpecOperation<Schema>, status: number, body: unknown): string[] {
    if (status < 200 || status > 299) return [];
    const declared = op.op.responses?.[String(status)];
    if (!declared) return [`status ${status} is not a declared response of ${op.operationId}`];
    const schema = declared.content?.["application/json"]?.schema;
    if (!schema) return [];
    return this.problems(`${op.operationId} response ${status}`, schema, body, "response");
  }

  /**
   * Problems of any JSON answer, errors included: the spec must document a schema for its status
   * (exactly, or its `4XX`/`5XX` range), and the body must match it.
   */
  answer(op: SpecOperation<Schema>, status: number, body: unknown): string[] {
    const schema = responseSchema(op, status);
    if (!schema) return [`the spec documents no ${status} answer for ${op.operationId}`];
    return this.problems(`${op.operationId} answer ${status}`, schema, body, "answer");
  }
}
