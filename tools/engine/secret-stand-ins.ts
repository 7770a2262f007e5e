import { requiredSecrets, SECRETS_KEY, type LayeredConfig, type PlatformSpec } from "../../infra/config";

import { STAND_IN_MARKER } from "./stand-in-marker";

export { STAND_IN_MARKER };

/** A placeholder shaped like the real value, so code that parses it (URLs, DSNs) behaves as in a deploy. */
export function standInFor(app: string, name: string): string {
  const token = `${STAND_IN_MARKER}-${app}-${name.toLowerCase().replace(/_/g, "-")}`;
  if (/(DATABASE|ADMIN|DB)_URL$/.test(name))
    return `postgresql://launchpad:${token}@db.offline.invalid:5432/postgres?sslmode=require`;
  if (name.endsWith("WEBHOOK_URL")) return `https://discord.com/api/webhooks/0/${token}`;
  if (name.endsWith("_URL")) return `https://${token}.offline.invalid`;
  return token;
}

/** Adds a stand-in, marked secret, for each secret the apps need that the stack file does not hold. */
export function withSecretStandIns(config: LayeredConfig, platform: PlatformSpec): LayeredConfig {
  const stored = (config.values[SECRETS_KEY] ?? {}) as Record<string, Record<string, unknown>>;
  const secrets: Record<string, Record<string, unknown>> = {};
  for (const [app, spec] of Object.entries(platform.apps)) {
    const have = { ...(stored[app] ?? {}) };
    for (const name of requiredSecrets(spec).keys()) {
      if (typeof have[name] !== "string") have[name] = standInFor(app, name);
    }
    secrets[app] = have;
  }
  for (const [app, names] of Object.entries(stored)) secrets[app] ??= names;
  return {
    values: { ...config.values, [SECRETS_KEY]: secrets },
    sources: {
      ...config.sources,
      [SECRETS_KEY]: config.sources[SECRETS_KEY] ?? `Pulumi.${platform.environment.name}.yaml`,
    },
    secretKeys: [...new Set([...config.secretKeys, SECRETS_KEY])],
    // Stand-ins are no plain values; the ones the file holds in plain text stay known as such.
    plainSecrets: config.plainSecrets ?? [],
  };
}
