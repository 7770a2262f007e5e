/**
 * Checks a request body against the spec's schema (the subset of JSON Schema the Storage spec uses),
 * so the fake refuses what the real API's schema validation refuses.
 */

import type { JsonSchema, OpenApiDoc } from "./spec";

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function typeMatches(expected: string, actual: string): boolean {
  return expected === actual || (expected === "number" && actual === "integer");
}

/** Problems of `value` against `schema`, each naming its path (`body.prefixes`); empty when valid. */
export function validate(doc: OpenApiDoc, schema: JsonSchema, value: unknown, at = "body"): string[] {
  if (schema.$ref) {
    const name = schema.$ref.replace("#/components/schemas/", "");
    return validate(doc, doc.components.schemas[name] ?? {}, value, at);
  }
  if (schema.anyOf) {
    return schema.anyOf.some((s) => validate(doc, s, value, at).length === 0)
      ? []
      : [`${at} matches none of the allowed shapes`];
  }
  const actual = typeOf(value);
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((t) => typeMatches(t, actual)))
      return [`${at} must be ${types.join(" or ")}, got ${actual}`];
  }
  if (schema.enum && !schema.enum.includes(value)) return [`${at} must be one of ${schema.enum.join(", ")}`];
  const problems: string[] = [];
  if (typeof value === "number") {
    if (schema.minimum !== undefined && value < schema.minimum)
      problems.push(`${at} must be >= ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum)
      problems.push(`${at} must be <= ${schema.maximum}`);
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) {
      problems.push(`${at} must have at least ${schema.minItems} items`);
    }
    if (schema.items)
      value.forEach((v, i) => problems.push(...validate(doc, schema.items!, v, `${at}[${i}]`)));
  }
  if (actual === "object") {
    const object = value as Record<string, unknown>;
    for (const key of schema.required ?? []) {
      if (!(key in object)) problems.push(`${at} must have required property '${key}'`);
    }
    for (const [key, v] of Object.entries(object)) {
      const property = schema.properties?.[key];
      if (property) problems.push(...validate(doc, property, v, `${at}.${key}`));
      else if (schema.additionalProperties === false)
        problems.push(`${at} must NOT have additional property '${key}'`);
    }
  }
  return problems;
}
