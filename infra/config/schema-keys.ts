import type { z } from "zod";
import { valueAt, type KeyPath } from "./key-paths";

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  valueType?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  discriminator?: string;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** The object schemas `schema` may be at `input` (wrappers unwrapped; a union's matching options). */
function objectsOf(schema: z.ZodType, input: unknown): Def[] {
  const def = defOf(schema);
  switch (def.type) {
    case "object":
      return [def];
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "readonly":
      return objectsOf(def.innerType!, input);
    case "pipe":
      return objectsOf(def.in!, input);
    case "union": {
      const options = def.options ?? [];
      const tag = def.discriminator;
      const chosen =
        tag && typeof input === "object" && input !== null
          ? options.filter((o) => {
              const field = objectsOf(o, input)[0]?.shape?.[tag];
              const literal = field && (defOf(field) as { values?: unknown[] }).values;
              return literal?.includes((input as Record<string, unknown>)[tag]) ?? false;
            })
          : [];
      return (chosen.length > 0 ? chosen : options).flatMap((o) => objectsOf(o, input));
    }
    default:
      return [];
  }
}

/** The schema of the value at `path` under `schema`, or undefined when the path leaves the schema. */
function schemaAt(schema: z.ZodType, path: KeyPath, input: unknown): z.ZodType[] {
  let current: z.ZodType[] = [schema];
  for (let i = 0; i < path.length; i++) {
    const part = path[i]!;
    const here = valueAt(input, path.slice(0, i));
    current = current.flatMap((s) => {
      const def = unwrap(s);
      if (def.type === "record") return [def.valueType!];
      if (def.type === "array") return [def.element!];
      return objectsOf(s, here).flatMap((o) => (o.shape?.[part] ? [o.shape[part]] : []));
    });
  }
  return current;
}

function unwrap(schema: z.ZodType): Def {
  const def = defOf(schema);
  if (["optional", "nullable", "default", "prefault", "readonly"].includes(def.type))
    return unwrap(def.innerType!);
  if (def.type === "pipe") return unwrap(def.in!);
  return def;
}

/** The keys the schema allows in the map at `path` of `input` (for "did you mean"). */
export function allowedKeys(schema: z.ZodType, path: KeyPath, input: unknown): string[] {
  const at = valueAt(input, path);
  const keys = schemaAt(schema, path, input).flatMap((s) =>
    objectsOf(s, at).flatMap((o) => Object.keys(o.shape ?? {})),
  );
  return [...new Set(keys)];
}
