/**
 * Environment variables as the providers declare them: Vercel (one variable, a list, a project's
 * inline list, a shared variable), GitHub Actions variables and secrets, Fly machine `env`.
 */
import { isRecord, list, text, type Props } from "./values";
import { FLY, GITHUB, VERCEL } from "./types";

export interface EnvEntry {
  key: string;
  value: unknown;
  /** Vercel `sensitive`; undefined where the resource has no such flag. */
  sensitive?: unknown;
  /** Where the entry sits in the resource's properties, for messages. */
  path: string;
}

function vercelEntry(item: unknown, path: string): EnvEntry[] {
  if (!isRecord(item)) return [];
  const key = text(item["key"]);
  return key === undefined ? [] : [{ key, value: item["value"], sensitive: item["sensitive"], path }];
}

/** The variables a resource declares, or none when it is not a variable-carrying resource. */
export function envEntries(type: string, props: Props): EnvEntry[] {
  switch (type) {
    case VERCEL.envVar:
    case VERCEL.sharedEnvVar:
      return vercelEntry(props, "");
    case VERCEL.envVars:
      return list(props["variables"]).flatMap((v, i) => vercelEntry(v, `variables[${i}]`));
    case VERCEL.project:
      return list(props["environments"]).flatMap((v, i) => vercelEntry(v, `environments[${i}]`));
    case GITHUB.environmentVariable:
    case GITHUB.repositoryVariable: {
      const key = text(props["variableName"]);
      return key === undefined ? [] : [{ key, value: props["value"], path: "" }];
    }
    case FLY.machine: {
      const env = props["env"];
      if (!isRecord(env)) return [];
      return Object.keys(env).map((key) => ({ key, value: env[key], path: `env.${key}` }));
    }
    default:
      return [];
  }
}

/** `variables[0]` → ` (variables[0])`, for messages. */
export function at(path: string): string {
  return path ? ` (${path})` : "";
}
