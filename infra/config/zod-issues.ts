import type { z } from "zod";
import { describeValue } from "./errors";
import { valueAt, type KeyPath } from "./key-paths";
import { nearest } from "./nearest";
import { allowedKeys } from "./schema-keys";

/** zod's type names, in the words of a YAML file. */
const YAML_TYPES: Record<string, string> = { record: "map", object: "map", array: "list" };

const article = (word: string): string => {
  const yamlWord = YAML_TYPES[word] ?? word;
  return /^[aeiou]/.test(yamlWord) ? `an ${yamlWord}` : `a ${yamlWord}`;
};

/** A zod issue rephrased for a person editing YAML: what was expected, and what was found. */
export function describeZodIssue(
  issue: z.core.$ZodIssue,
  input: unknown,
  schema?: z.ZodType,
): { path: KeyPath; message: string } {
  const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
  const got = describeValue(valueAt(input, path));
  switch (issue.code) {
    case "invalid_type":
      if (valueAt(input, path) === undefined)
        return { path, message: `required, expected ${article(issue.expected)}` };
      return { path, message: `expected ${article(issue.expected)}, got ${got}` };
    case "too_big": {
      const bound = `${issue.inclusive === false ? "<" : "≤"} ${String(issue.maximum)}`;
      if (issue.origin === "number") return { path, message: `expected a number ${bound}, got ${got}` };
      return {
        path,
        message: `expected at most ${String(issue.maximum)} ${issue.origin === "string" ? "characters" : "items"}, got ${got}`,
      };
    }
    case "too_small": {
      const bound = `${issue.inclusive === false ? ">" : "≥"} ${String(issue.minimum)}`;
      if (issue.origin === "number") return { path, message: `expected a number ${bound}, got ${got}` };
      return {
        path,
        message: `expected at least ${String(issue.minimum)} ${issue.origin === "string" ? "characters" : "items"}, got ${got}`,
      };
    }
    case "invalid_value":
      return {
        path,
        message: `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}, got ${got}`,
      };
    case "unrecognized_keys": {
      const known = schema ? allowedKeys(schema, path, input) : [];
      if (issue.keys.length === 1) {
        const key = issue.keys[0]!;
        const hint = nearest(key, known);
        return {
          path: [...path, key],
          message:
            hint === undefined
              ? `unknown key; expected one of ${known.join(", ")}`
              : `unknown key; did you mean "${hint}"?`,
        };
      }
      const named = issue.keys.map((k) => {
        const hint = nearest(k, known);
        return hint === undefined ? JSON.stringify(k) : `${JSON.stringify(k)} (did you mean "${hint}"?)`;
      });
      return { path, message: `unknown keys ${named.join(", ")}; expected keys among ${known.join(", ")}` };
    }
    case "invalid_union": {
      const discriminated = (issue as { note?: string }).note === "No matching discriminator";
      if (discriminated) return { path, message: `unknown kind ${got}` };
      return { path, message: `${issue.message}, got ${got}` };
    }
    case "invalid_key":
      return { path, message: `invalid key: ${issue.issues.map((i) => i.message).join("; ")}` };
    default:
      return { path, message: `${issue.message}, got ${got}` };
  }
}
