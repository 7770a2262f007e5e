/**
 * A validator for the JSON-schema subset the Fly spec uses ($ref, allOf, object, array, string,
 * integer, number, boolean, enum, required). Stricter than the live API in one way, on purpose:
 * properties the schema does not declare are rejected, so a client typo fails here instead of
 * being silently ignored in production.
 */

import type { JsonSchema, OpenApiDoc } from "./spec";

/**
 * Known gaps between the published spec and the live API that the fake follows (see
 * test/fakes/fly-api/SPEC.md): secrets updates take `null` to unset (documented only in prose),
 * and app create also accepts the older `app_name`.
 */
const NULLABLE = new Set(["AppSecretsUpdateRequest.values.*"]);
const EXTRA_PROPERTIES: Record<string, Record<string, JsonSchema>> = {
  CreateAppRequest: { app_name: { type: "string" } },
};

export class SchemaValidator {
  constructor(private readonly doc: OpenApiDoc) {}

  /** Error messages (empty when valid), each naming the JSON path. */
  validate(schema: JsonSchema, value: unknown): string[] {
    const errors: string[] = [];
    this.check(schema, value, "body", undefined, errors);
    return errors;
  }

  private resolve(schema: JsonSchema): { schema: JsonSchema; name?: string } {
    if (!schema.$ref) return { schema };
    const name = schema.$ref.replace("#/components/schemas/", "");
    const target = this.doc.components.schemas[name];
    if (!target) throw new Error(`spec has no schema ${name}`);
    return { schema: target, name };
  }

  /** Declared properties of an object schema, including those of its allOf members. */
  private propertiesOf(schema: JsonSchema, name: string | undefined): Record<string, JsonSchema> {
    let props: Record<string, JsonSchema> = {
      ...(schema.properties ?? {}),
      ...(name ? EXTRA_PROPERTIES[name] : {}),
    };
    for (const part of schema.allOf ?? []) {
      const r = this.resolve(part);
      props = { ...props, ...this.propertiesOf(r.schema, r.name) };
    }
    return props;
  }

  private check(
    raw: JsonSchema,
    value: unknown,
    at: string,
    owner: string | undefined,
    errors: string[],
  ): void {
    const { schema, name } = this.resolve(raw);
    const where = name ?? owner;
    const type = schema.type ?? (schema.allOf ? "object" : undefined);
    if (value === null) {
      errors.push(`${at}: must not be null`);
      return;
    }
    if (schema.enum && !schema.enum.includes(value)) {
      errors.push(`${at}: must be one of ${schema.enum.join(", ")}`);
      return;
    }
    switch (type) {
      case "string":
        if (typeof value !== "string") errors.push(`${at}: must be a string`);
        return;
      case "integer":
        if (!Number.isInteger(value)) errors.push(`${at}: must be an integer`);
        return;
      case "number":
        if (typeof value !== "number") errors.push(`${at}: must be a number`);
        return;
      case "boolean":
        if (typeof value !== "boolean") errors.push(`${at}: must be a boolean`);
        return;
      case "array":
        if (!Array.isArray(value)) {
          errors.push(`${at}: must be an array`);
          return;
        }
        value.forEach((v, i) => schema.items && this.check(schema.items, v, `${at}[${i}]`, where, errors));
        return;
      case "object": {
        if (typeof value !== "object" || Array.isArray(value)) {
          errors.push(`${at}: must be an object`);
          return;
        }
        const obj = value as Record<string, unknown>;
        const props = this.propertiesOf(schema, name);
        for (const req of schema.required ?? []) if (!(req in obj)) errors.push(`${at}.${req}: is required`);
        for (const [k, v] of Object.entries(obj)) {
          if (props[k]) this.check(props[k], v, `${at}.${k}`, where, errors);
          else if (schema.additionalProperties && typeof schema.additionalProperties === "object") {
            this.checkAdditional(schema.additionalProperties, v, `${at}.${k}`, where, errors);
          } else if (!schema.additionalProperties)
            errors.push(`${at}.${k}: is not a property of ${where ?? "the schema"}`);
        }
        return;
      }
      default:
        return; // untyped schema: anything goes
    }
  }

  /** Values of a map; `null` only where a documented gap allows it (`<Schema>.<map>.*`). */
  private checkAdditional(
    schema: JsonSchema,
    v: unknown,
    at: string,
    owner: string | undefined,
    errors: string[],
  ) {
    const map = at.split(".").slice(-2, -1)[0];
    if (v === null && owner && NULLABLE.has(`${owner}.${map}.*`)) return;
    this.check(schema, v, at, owner, errors);
  }
}
