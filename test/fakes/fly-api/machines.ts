/** Fake handlers: machines, their leases, and waiting for machine states. */

import { error, type Ctx, type Handler, type Reply } from "./handler";
import { bootEnvironment, type FakeApp, type FakeMachine, type FakeStore, type Json, newId } from "./store";

const LIVE = (m: FakeMachine) => m.state !== "destroyed";

/** Names the checks Fly reports for a config: top-level ones by key, service ones generated. */
function checkNames(config: Json): string[] {
  const names = Object.keys((config.checks as Json | undefined) ?? {});
  const services =
    (config.services as { internal_port?: number; checks?: { type?: string }[] }[] | undefined) ?? [];
  services.forEach((s, i) =>
    (s.checks ?? []).forEach((c, j) =>
      names.push(
        `servicecheck-${String(i).padStart(2, "0")}-${j}-${c.type ?? "tcp"}-${s.internal_port ?? 0}`,
      ),
    ),
  );
  return names;
}

export function machineJson(store: FakeStore, m: FakeMachine) {
  const healthy = m.state === "started" && store.healthy(m);
  return {
    id: m.id,
    name: m.name,
    state: m.state,
    region: m.region,
    instance_id: m.version,
    version: m.version,
    private_ip: m.private_ip,
    config: m.config,
    image_ref: { registry: "registry.fly.io", repository: String(m.config.image ?? ""), tag: "latest" },
    created_at: m.created_at,
    updated_at: m.updated_at,
    events: [...m.events].reverse(),
    checks: checkNames(m.config).map((name) => ({
      name,
      status: healthy ? "passing" : "critical",
      output: healthy ? "HTTP 200" : "connection refused",
      updated_at: store.iso(),
    })),
    ...(m.lease && m.lease.expiresAt > store.now
      ? {
          lease: {
            owner: m.lease.owner,
            description: m.lease.description,
            expires_at: store.unix(m.lease.expiresAt),
          },
        }
      : {}),
  };
}

function find(ctx: Ctx): FakeMachine | Reply {
  const m = ctx.app.machines.get(ctx.params.machine_id);
  return m ? m : error(404, "machine not found");
}

/** 409 when someone holds an unexpired lease and the request does not carry its nonce. */
function leaseConflict(ctx: Ctx, m: FakeMachine): Reply | undefined {
  if (!m.lease || m.lease.expiresAt <= ctx.store.now) return undefined;
  if (ctx.headers["fly-machine-lease-nonce"] === m.lease.nonce) return undefined;
  return error(
    409,
    `machine ID ${m.id} lease currently held by ${m.lease.owner}, expires at ${ctx.store.iso(m.lease.expiresAt)}`,
  );
}

/** Attaches the config's volumes; an error reply when one is missing or taken. */
function attachVolumes(app: FakeApp, m: { id: string; region: string }, config: Json): Reply | undefined {
  for (const mount of (config.mounts as { volume?: string }[] | undefined) ?? []) {
    const v = mount.volume ? app.volumes.get(mount.volume) : undefined;
    if (!v) return error(404, `volume ${mount.volume ?? "(none)"} not found`);
    if (v.region !== m.region) return error(400, `volume ${v.id} is in region ${v.region}, not ${m.region}`);
    if (v.attached_machine_id && v.attached_machine_id !== m.id)
      return error(409, `volume ${v.id} is already attached`);
  }
  for (const mount of (config.mounts as { volume: string }[] | undefined) ?? []) {
    (app.volumes.get(mount.volume) as { attached_machine_id: string | null }).attached_machine_id = m.id;
  }
  return undefined;
}

function secretsNotReady(app: FakeApp, min: number | undefined): Reply | undefined {
  if (min !== undefined && min > app.secretsVersion) {
    return error(
      422,
      `min_secrets_version ${min} is newer than the app's secrets version ${app.secretsVersion}`,
    );
  }
  return undefined;
}

export const machineHandlers: Record<string, Handler> = {
  Machines_list({ app, store, query }) {
    const filters = [...query.entries()]
      .filter(([k]) => k.startsWith("metadata."))
      .map(([k, v]) => [k.slice(9), v]);
    const includeDeleted = query.get("include_deleted") === "true";
    const list = [...app.machines.values()]
      .filter((m) => includeDeleted || LIVE(m))
      .filter((m) => filters.every(([k, v]) => (m.config.metadata as Json | undefined)?.[k] === v))
      .map((m) => machineJson(store, m));
    return { status: 200, body: list };
  },

  Machines_create({ app, store, body }) {
    const region: string = body.region ?? "iad";
    const config = (body.config ?? {}) as Json;
    if (!config.image) return error(400, "config.image is required");
    const name: string = body.name ?? `machine-${newId(6)}`;
    if ([...app.machines.values()].some((m) => LIVE(m) && m.name === name)) {
      return error(409, `a machine named ${name} already exists`);
    }
    const notReady = secretsNotReady(app, body.min_secrets_version);
    if (notReady) return notReady;
    const id = newId();
    const attachError = attachVolumes(app, { id, region }, config);
    if (attachError) return attachError;
    const m: FakeMachine = {
      id,
      name,
      region,
      config,
      state: "created",
      version: newId(26),
      private_ip: `fdaa:0:1:a7b:${store.nextIpSuffix().toString(16)}::2`,
      created_at: store.iso(),
      updated_at: store.iso(),
      events: [
        { id: newId(26), type: "launch", status: "created", source: "user", timestamp: store.unix() * 1000 },
      ],
      pending: [],
      checksPassAt: Number.MAX_SAFE_INTEGER,
    };
    if (!body.skip_launch) {
      store.launch(m, "created");
      m.bootEnv = bootEnvironment(app, config);
    }
    app.machines.set(id, m);
    return { status: 200, body: machineJson(store, m) };
  },

  Machines_show(ctx) {
    const m = find(ctx);
    return "status" in m ? m : { status: 200, body: machineJson(ctx.store, m) };
  },

  Machines_update(ctx) {
    const m = find(ctx);
    if ("status" in m) return m;
    if (!LIVE(m)) return error(404, "machine not found");
    const conflict = leaseConflict(ctx, m);
    if (conflict) return conflict;
    const { body, store, app } = ctx;
    if (body.current_version && body.current_version !== m.version) {
      return error(409, `machine version ${body.current_version} is not current (${m.version})`);
    }
    if (body.region && body.region !== m.region) return error(400, "a machine cannot change region");
    const notReady = secretsNotReady(app, body.min_secrets_version);
    if (notReady) return notReady;
    const config = (body.config ?? {}) as Json;
    const attachError = attachVolumes(app, m, config);
    if (attachError) return attachError;
    m.config = config;
    if (body.name) m.name = body.name;
    m.version = newId(26);
    m.updated_at = store.iso();
    m.checksPassAt = Number.MAX_SAFE_INTEGER;
    m.events.push({
      id: newId(26),
      type: "update",
      status: "replacing",
      source: "user",
      timestamp: store.unix() * 1000,
    });
    if (!body.skip_launch) {
      store.launch(m, "replacing");
      m.bootEnv = bootEnvironment(app, config);
    }
    return { status: 200, body: machineJson(store, m) };
  },

  Machines_delete(ctx) {
    const m = find(ctx);
    if ("status" in m) return m;
    const conflict = leaseConflict(ctx, m);
    if (conflict) return conflict;
    if (m.state === "destroyed" || m.state === "destroying") return { status: 200, body: { ok: true } };
    if (m.state === "started" && ctx.query.get("force") !== "true") {
      return error(412, "unable to destroy machine, not currently stopped or suspended");
    }
    ctx.store.destroy(m);
    return { status: 200, body: { ok: true } };
  },

  Machines_stop(ctx) {
    const m = find(ctx);
    if ("status" in m) return m;
    const conflict = leaseConflict(ctx, m);
    if (conflict) return conflict;
    m.state = "stopping";
    m.pending = [{ at: ctx.store.now + 1, state: "stopped" }];
    return { status: 200, body: { ok: true } };
  },

  Machines_cordon(ctx) {
    const m = find(ctx);
    if ("status" in m) return m;
    if (!LIVE(m)) return error(404, "machine not found");
    m.cordoned = true;
    return { status: 200, body: {} };
  },

  Machines_start(ctx) {
    const m = find(ctx);
    if ("status" in m) return m;
    const conflict = leaseConflict(ctx, m);
    if (conflict) return conflict;
    if (m.state !== "stopped" && m.state !== "created" && m.state !== "suspended") {
      return error(412, `machine is ${m.state}, not stopped`);
    }
    m.pending = [{ at: ctx.store.now + 1, state: "started" }];
    m.state = "starting";
    return { status: 200, body: { previous_state: "stopped" } };
  },

  /** Advances the fake clock up to `timeout` ticks; 408 when the state is not reached. */
  Machines_wait(ctx) {
    const m = find(ctx);
    if ("status" in m) return m;
    const wanted = (ctx.query.get("state") ?? "started").split(",");
    const version = ctx.query.get("version") ?? ctx.query.get("instance_id");
    const timeout = Math.min(Number(ctx.query.get("timeout") ?? 60), 60);
    if (!Number.isInteger(timeout) || timeout < 1) return error(400, "timeout must be a positive integer");
    const reached = () =>
      (wanted.includes(m.state) ||
        (wanted.includes("settled") && ["started", "stopped", "failed"].includes(m.state))) &&
      (!version || version === m.version);
    for (let t = 0; !reached() && t < timeout; t++) ctx.store.advance(1);
    if (!reached()) return error(408, `deadline_exceeded: machine ${m.id} did not reach ${wanted.join(",")}`);
    return { status: 200, body: { ok: true, state: m.state, version: m.version, event_id: newId(26) } };
  },

  Machines_show_lease(ctx) {
    const m = find(ctx);
    if ("status" in m) return m;
    if (!m.lease || m.lease.expiresAt <= ctx.store.now) return error(404, "lease not found");
    return { status: 200, body: leaseBody(ctx.store, m) };
  },

  Machines_create_lease(ctx) {
    const m = find(ctx);
    if ("status" in m) return m;
    const held = m.lease && m.lease.expiresAt > ctx.store.now;
    const nonce = ctx.headers["fly-machine-lease-nonce"];
    if (held && nonce !== m.lease?.nonce) return leaseConflict(ctx, m) as Reply;
    const ttl: number = ctx.body?.ttl ?? 30;
    m.lease = {
      nonce: held && m.lease ? m.lease.nonce : newId(12),
      expiresAt: ctx.store.now + ttl,
      owner: "launchpad@example.com",
      description: ctx.body?.description ?? "",
    };
    return { status: 201, body: leaseBody(ctx.store, m) };
  },

  Machines_release_lease(ctx) {
    const m = find(ctx);
    if ("status" in m) return m;
    if (!m.lease || m.lease.expiresAt <= ctx.store.now) return error(404, "lease not found");
    if (ctx.headers["fly-machine-lease-nonce"] !== m.lease.nonce)
      return error(409, "lease nonce does not match");
    m.lease = undefined;
    return { status: 200, body: { ok: true } };
  },
};

/** The live API wraps leases as `{status, data}`; the spec documents them flat. */
function leaseBody(store: FakeStore, m: FakeMachine) {
  const lease = m.lease as NonNullable<FakeMachine["lease"]>;
  const data = {
    nonce: lease.nonce,
    expires_at: store.unix(lease.expiresAt),
    owner: lease.owner,
    description: lease.description,
    version: m.version,
  };
  return store.faults.leaseShape === "wrapped" ? { status: "success", data } : data;
}
