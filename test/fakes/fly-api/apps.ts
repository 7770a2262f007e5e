/** Fake handlers: apps and app secrets. */

import { createHash } from "node:crypto";
import { error, type Handler } from "./handler";
import type { FakeApp, FakeStore } from "./store";

const APP_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

export function appJson(store: FakeStore, app: FakeApp) {
  return {
    id: app.id,
    name: app.name,
    network: app.network,
    organization: { name: app.org, slug: app.org },
    status: [...app.machines.values()].some((m) => m.state === "started") ? "deployed" : "pending",
    machine_count: [...app.machines.values()].filter((m) => m.state !== "destroyed").length,
    volume_count: app.volumes.size,
    internal_numeric_id: store.apps.size,
  };
}

/** Fly's digest is opaque to clients; the fake uses a short hash of the value. */
const flyDigest = (value: string) => createHash("sha256").update(value).digest("hex").slice(0, 16);

const secretJson = (
  name: string,
  s: { digest: string; created_at: string; updated_at: string; value?: string },
) => ({
  name,
  digest: s.digest,
  created_at: s.created_at,
  updated_at: s.updated_at,
  ...(s.value !== undefined ? { value: s.value } : {}),
});

export const appHandlers: Record<string, Handler> = {
  Apps_list({ store, query }) {
    const org = query.get("org_slug");
    const apps = [...store.apps.values()].filter((a) => !org || a.org === org).map((a) => appJson(store, a));
    return { status: 200, body: { apps, total_apps: apps.length } };
  },

  Apps_create({ store, body }) {
    const name: string | undefined = body.name ?? body.app_name;
    const org: string | undefined = body.org_slug;
    if (!name || !org) return error(400, "name and org_slug are required");
    if (!APP_NAME.test(name)) return error(400, `invalid app name "${name}"`);
    if (!store.orgs.has(org)) return error(404, `organization ${org} not found`);
    const key: string | undefined = body.idempotency_key;
    if (key && store.idempotencyKeys.has(key)) {
      const first = store.idempotencyKeys.get(key);
      if (first !== name) return error(422, "idempotency_key was already used to create a different app");
      const app = store.apps.get(name);
      if (app) return { status: 201, body: { id: app.id, created_at: app.createdAt * 1000 } };
    }
    if (store.apps.has(name)) return error(422, "Name has already been taken", "name_taken");
    const app = store.addApp(name, org);
    if (key) store.idempotencyKeys.set(key, name);
    return { status: 201, body: { id: app.id, created_at: app.createdAt * 1000 } };
  },

  Apps_show: ({ store, app }) => ({ status: 200, body: appJson(store, app) }),

  Apps_delete({ store, app }) {
    store.apps.delete(app.name);
    return { status: 202 };
  },

  Secrets_list({ app, query }) {
    const show = query.get("show_secrets") === "true";
    const secrets = [...app.secrets.entries()].map(([n, s]) =>
      secretJson(n, show ? s : { ...s, value: undefined }),
    );
    return { status: 200, body: { secrets } };
  },

  Secrets_update({ store, app, body }) {
    const values: Record<string, string | null> = body.values ?? {};
    for (const [name, value] of Object.entries(values)) {
      if (value === null) {
        app.secrets.delete(name);
        continue;
      }
      const old = app.secrets.get(name);
      app.secrets.set(name, {
        value,
        digest: flyDigest(value),
        created_at: old?.created_at ?? store.iso(),
        updated_at: store.iso(),
      });
    }
    app.secretsVersion++;
    const secrets = [...app.secrets.entries()].map(([n, s]) => secretJson(n, { ...s, value: undefined }));
    return { status: 200, body: { version: app.secretsVersion, Version: app.secretsVersion, secrets } };
  },

  Secret_get({ app, params, query }) {
    const s = app.secrets.get(params.secret_name);
    if (!s) return error(404, "secret not found");
    const show = query.get("show_secrets") === "true";
    return { status: 200, body: secretJson(params.secret_name, show ? s : { ...s, value: undefined }) };
  },

  Secret_delete({ app, params }) {
    if (!app.secrets.delete(params.secret_name)) return error(404, "secret not found");
    app.secretsVersion++;
    return { status: 200, body: { version: app.secretsVersion, Version: app.secretsVersion } };
  },
};
