/**
 * The Fly Machines OpenAPI document the fake is faithful to (a verbatim copy of the published spec
 * kept beside the fake, so a fresh clone tests without anything else), with its operations indexed
 * for routing.
 */

import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

export type JsonSchema = {
  $ref?: string;
  type?: string;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  allOf?: JsonSchema[];
  required?: string[];
  description?: string;
};

interface OpenApiOperation {
  operationId: string;
  requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonSchema }> };
}

export interface OpenApiDoc {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, JsonSchema> };
}

export interface SpecOperation {
  method: string;
  template: string;
  operationId: string;
  bodySchema?: JsonSchema;
  bodyRequired: boolean;
  regex: RegExp;
  paramNames: string[];
}

export const SPEC_PATH = path.join(__dirname, "fly-machines-openapi.yml");

let cached: OpenApiDoc | undefined;

export function loadSpec(): OpenApiDoc {
  cached ??= parse(fs.readFileSync(SPEC_PATH, "utf8")) as OpenApiDoc;
  return cached;
}

/** Every operation of the spec, literal paths before parameterised ones so `/acme` wins over `{hostname}`. */
export function specOperations(doc: OpenApiDoc = loadSpec()): SpecOperation[] {
  const ops: SpecOperation[] = [];
  for (const [template, methods] of Object.entries(doc.paths)) {
    const paramNames = [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    const regex = new RegExp(`^${template.replace(/\{[^}]+\}/g, "([^/]+)")}$`);
    for (const [method, op] of Object.entries(methods)) {
      if (!op || typeof op !== "object" || !("operationId" in op)) continue;
      const json = op.requestBody?.content?.["application/json"];
      ops.push({
        method: method.toUpperCase(),
        template,
        operationId: op.operationId,
        bodySchema: json?.schema,
        bodyRequired: op.requestBody?.required ?? false,
        regex,
        paramNames,
      });
    }
  }
  return ops.sort((a, b) => a.paramNames.length - b.paramNames.length);
}

export function matchOperation(
  ops: SpecOperation[],
  method: string,
  pathname: string,
): { op: SpecOperation; params: Record<string, string> } | undefined {
  for (const op of ops) {
    if (op.method !== method) continue;
    const m = op.regex.exec(pathname);
    if (m) {
      const params = Object.fromEntries(op.paramNames.map((n, i) => [n, decodeURIComponent(m[i + 1])]));
      return { op, params };
    }
  }
  return undefined;
}
