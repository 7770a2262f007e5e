/**
 * The Supabase Storage OpenAPI document the fake is faithful to (a verbatim copy of the published
 * spec kept beside it), indexed for routing: `{param}` is one path segment, `{*}` the rest of the path.
 */

import * as fs from "fs";
import * as path from "path";

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

interface OpenApiOperation {
  summary?: string;
  requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonSchema }> };
  responses?: Record<string, { content?: Record<string, { schema?: JsonSchema }> }>;
}

export interface OpenApiDoc {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, JsonSchema> };
}

export interface SpecOperation {
  readonly method: string;
  readonly template: string;
  readonly bodySchema?: JsonSchema;
  readonly bodyRequired: boolean;
  readonly responses: NonNullable<OpenApiOperation["responses"]>;
  readonly regex: RegExp;
  readonly paramNames: string[];
}

export const SPEC_PATH = path.join(__dirname, "supabase-storage-openapi.json");

let cached: OpenApiDoc | undefined;

export function loadSpec(): OpenApiDoc {
  cached ??= JSON.parse(fs.readFileSync(SPEC_PATH, "utf8")) as OpenApiDoc;
  return cached;
}

const METHODS = new Set(["get", "put", "post", "delete", "patch", "head"]);

/** Every operation, literal paths first, so `/object/list/{bucketName}` wins over `/object/{bucketName}/{*}`. */
export function specOperations(doc: OpenApiDoc = loadSpec()): SpecOperation[] {
  const ops: SpecOperation[] = [];
  for (const [template, methods] of Object.entries(doc.paths)) {
    const paramNames = [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
    const pattern = template
      .replace(/\/$/, "")
      .replace(/[.]/g, "\\.")
      .replace(/\{\*\}/g, "(.+)")
      .replace(/\{[^}*]+\}/g, "([^/]+)");
    for (const [method, op] of Object.entries(methods)) {
      if (!METHODS.has(method)) continue;
      ops.push({
        method: method.toUpperCase(),
        template,
        bodySchema: op.requestBody?.content?.["application/json"]?.schema,
        bodyRequired: op.requestBody?.required ?? false,
        responses: op.responses ?? {},
        regex: new RegExp(`^${pattern}/?$`),
        paramNames,
      });
    }
  }
  const weight = (op: SpecOperation) => op.paramNames.length * 10 + (op.template.includes("{*}") ? 5 : 0);
  return ops.sort((a, b) => weight(a) - weight(b));
}

export function matchOperation(
  ops: readonly SpecOperation[],
  method: string,
  pathname: string,
): { op: SpecOperation; params: Record<string, string> } | undefined {
  for (const op of ops) {
    if (op.method !== method) continue;
    const m = op.regex.exec(pathname);
    if (m) {
      const params = Object.fromEntries(op.paramNames.map((n, i) => [n, decodeURIComponent(m[i + 1]!)]));
      return { op, params };
    }
  }
  return undefined;
}

/** The schema the spec gives a response of this status (`200`, else `4XX`/`5XX`), if any. */
export function responseSchema(op: SpecOperation, status: number): JsonSchema | undefined {
  const entry = op.responses[String(status)] ?? op.responses[`${String(status)[0]}XX`];
  return entry?.content?.["application/json"]?.schema;
}
