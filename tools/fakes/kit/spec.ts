/**
 * An OpenAPI document indexed for routing, as the local fakes serve it: each operation's path
 * template turned into a pattern (`{param}` one path segment, `{*}` the rest of the path), literal
 * paths tried before parameterised ones so `/object/list/{bucketName}` wins over `/object/{bucketName}/{*}`.
 */

import * as fs from "node:fs";

/** The JSON Schema keywords the hand-written validators of the fakes read. */
export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  allOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  required?: string[];
  minItems?: number;
  minimum?: number;
  maximum?: number;
  description?: string;
};

/** The part of an OpenAPI operation the fakes read. `S` is the schema type the fake's validator takes. */
export interface OpenApiOperation<S = unknown> {
  operationId?: string;
  summary?: string;
  parameters?: Array<{ name: string; in: string; schema?: S }>;
  requestBody?: { required?: boolean; content?: Record<string, { schema?: S }> };
  responses?: Record<string, { content?: Record<string, { schema?: S }> }>;
}

export interface OpenApiDoc<S = unknown> {
  paths: Record<string, Record<string, OpenApiOperation<S>>>;
  components: { schemas: Record<string, S> };
}

/**
 * A loader of the vendored document at `file`, read and parsed once (`parse`: JSON's or YAML's).
 * The copy kept beside each fake is what it is faithful to.
 */
export function specLoader<S>(file: string, parse: (text: string) => unknown): () => OpenApiDoc<S> {
  let cached: OpenApiDoc<S> | undefined;
  return () => (cached ??= parse(fs.readFileSync(file, "utf8")) as OpenApiDoc<S>);
}

export interface SpecOperation<S = unknown> {
  readonly method: string;
  readonly template: string;
  /** The spec's operationId, or `METHOD template` for a spec that names none. */
  readonly operationId: string;
  /** The JSON request body's schema, if the operation takes one. */
  readonly bodySchema?: S;
  readonly bodyRequired: boolean;
  readonly regex: RegExp;
  readonly paramNames: string[];
  /** The operation as the spec writes it. */
  readonly op: OpenApiOperation<S>;
}

export interface RouteOptions {
  /** Also match the path with a trailing slash, and a template's own trailing slash without it. */
  readonly trailingSlash?: boolean;
}

const METHODS = new Set(["get", "put", "post", "delete", "patch", "head"]);

function pattern(template: string, options: RouteOptions): RegExp {
  const body = (options.trailingSlash ? template.replace(/\/$/, "") : template)
    .replace(/[.]/g, "\\.")
    .replace(/\{\*\}/g, "(.+)")
    .replace(/\{[^}*]+\}/g, "([^/]+)");
  return new RegExp(`^${body}${options.trailingSlash ? "/?" : ""}$`);
}

/** Every operation of the document, in the order routing tries them. */
export function specOperations<S>(doc: OpenApiDoc<S>, options: RouteOptions = {}): SpecOperation<S>[] {
  const ops: SpecOperation<S>[] = [];
  for (const [template, methods] of Object.entries(doc.paths)) {
    const paramNames = [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
    const regex = pattern(template, options);
    for (const [method, op] of Object.entries(methods)) {
      if (!METHODS.has(method) || !op || typeof op !== "object") continue;
      ops.push({
        method: method.toUpperCase(),
        template,
        operationId: op.operationId ?? `${method.toUpperCase()} ${template}`,
        bodySchema: op.requestBody?.content?.["application/json"]?.schema,
        bodyRequired: op.requestBody?.required ?? false,
        regex,
        paramNames,
        op,
      });
    }
  }
  const weight = (op: SpecOperation<S>) => op.paramNames.length * 10 + (op.template.includes("{*}") ? 5 : 0);
  return ops.sort((a, b) => weight(a) - weight(b));
}

export interface RouteMatch<S = unknown> {
  op: SpecOperation<S>;
  /** Path parameters by name, decoded. */
  params: Record<string, string>;
}

export function matchOperation<S>(
  ops: readonly SpecOperation<S>[],
  method: string,
  pathname: string,
): RouteMatch<S> | undefined {
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

/** The schema the spec gives an answer of this status (exactly, else `4XX`/`5XX`), if any. */
export function responseSchema<S>(op: SpecOperation<S>, status: number): S | undefined {
  const responses = op.op.responses ?? {};
  const entry = responses[String(status)] ?? responses[`${String(status)[0]}XX`];
  return entry?.content?.["application/json"]?.schema;
}
