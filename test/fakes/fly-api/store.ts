/**
 * In-memory state of the fake Fly API, with its own clock: one tick per request (and as many
 * as a `wait` needs), so asynchronous machine states advance without real sleeping.
 */

import { randomBytes } from "node:crypto";
import type { FakeFaults } from "./faults";

export type Json = Record<string, unknown>;

export interface FakeSecret {
  value: string;
  digest: string;
  created_at: string;
  updated_at: string;
}

export interface FakeMachine {
  id: string;
  name: string;
  region: string;
  config: Json;
  state: string;
  version: string;
  private_ip: string;
  created_at: string;
  updated_at: string;
  events: Json[];
  /** Scheduled state changes, at clock ticks. */
  pending: { at: number; state: string }[];
  /** Tick from which the checks pass (when healthy). */
  checksPassAt: number;
  lease?: { nonce: string; expiresAt: number; owner: string; description: string };
  /** Services disabled by a cordon: the proxy routes nothing to it. */
  cordoned?: boolean;
  /** The environment its process booted with, app secrets included (see `bootEnvironment`). */
  bootEnv?: Record<string, string>;
}

export interface FakeVolume extends Json {
  id: string;
  name: string;
  region: string;
  size_gb: number;
  encrypted: boolean;
  state: string;
  attached_machine_id: string | null;
}

export interface FakeApp {
  id: string;
  name: string;
  org: string;
  network: string;
  createdAt: number;
  secrets: Map<string, FakeSecret>;
  secretsVersion: number;
  machines: Map<string, FakeMachine>;
  volumes: Map<string, FakeVolume>;
  ips: Json[];
  certificates: Map<string, Json>;
}

/** Unix time of tick 0, so timestamps look real but stay deterministic. */
const EPOCH = Date.UTC(2026, 0, 1) / 1000;
/** Ticks from `started` until checks pass on a healthy machine. */
export const HEALTH_TICKS = 2;

/**
 * The environment a machine's process boots with: its config `env` and the app's secrets, a secret
 * winning over a variable of the same name (what users of the live platform report; the spec is
 * silent). A process that ignores app secrets, or names some, gets only the ones it names.
 */
export function bootEnvironment(app: FakeApp, config: Json): Record<string, string> {
  const env = { ...((config.env as Record<string, string> | undefined) ?? {}) };
  type Process = { env?: Record<string, string>; ignore_app_secrets?: boolean; secrets?: Json[] };
  const process = ((config.processes as Process[] | undefined) ?? [])[0];
  Object.assign(env, process?.env ?? {});
  const named = (process?.secrets ?? []) as { env_var?: string; name?: string }[];
  // Naming secrets on the process, or ignoring the app's, limits the process to the named ones.
  if (!process?.ignore_app_secrets && named.length === 0) {
    for (const [name, s] of app.secrets) env[name] = s.value;
  }
  for (const s of named) {
    const secret = app.secrets.get(s.name ?? s.env_var ?? "");
    if (s.env_var && secret) env[s.env_var] = secret.value;
  }
  return env;
}

export function newId(length = 14): string {
  return randomBytes(length).toString("hex").slice(0, length);
}

export class FakeStore {
  now = 0;
  readonly apps = new Map<string, FakeApp>();
  readonly idempotencyKeys = new Map<string, string>();
  private ipCounter = 1;

  constructor(
    readonly faults: FakeFaults,
    /** Organizations the token may manage. */
    readonly orgs: Set<string>,
  ) {}

  unix(tick = this.now): number {
    return EPOCH + tick;
  }

  iso(tick = this.now): string {
    return new Date(this.unix(tick) * 1000).toISOString();
  }

  /** A fresh small number for generated addresses. */
  nextIpSuffix(): number {
    return this.ipCounter++;
  }

  addApp(name: string, org: string): FakeApp {
    const app: FakeApp = {
      id: newId(),
      name,
      org,
      network: "default",
      createdAt: this.unix(),
      secrets: new Map(),
      secretsVersion: 0,
      machines: new Map(),
      volumes: new Map(),
      ips: [],
      certificates: new Map(),
    };
    this.apps.set(name, app);
    return app;
  }

  /** Advances the clock, applying scheduled machine transitions. */
  advance(ticks = 1): void {
    for (let i = 0; i < ticks; i++) {
      this.now++;
      for (const app of this.apps.values()) {
        for (const m of app.machines.values()) this.applyDue(app, m);
      }
    }
  }

  private applyDue(app: FakeApp, m: FakeMachine): void {
    while (m.pending.length && m.pending[0].at <= this.now) {
      const next = m.pending.shift() as { at: number; state: string };
      this.enter(app, m, next.state);
    }
  }

  private enter(app: FakeApp, m: FakeMachine, state: string): void {
    m.state = state;
    m.updated_at = this.iso();
    m.events.push({
      id: newId(26),
      type: state === "started" ? "start" : state,
      status: state,
      source: "flyd",
      timestamp: this.unix() * 1000,
    });
    if (state === "started") {
      m.checksPassAt = this.now + (this.faults.slowImages.get(String(m.config.image ?? "")) ?? HEALTH_TICKS);
      if (m.config.auto_destroy === true) {
        // A one-shot machine (release command): it runs, exits, and destroys itself.
        m.pending.push({ at: this.now + 1, state: "stopped" });
        m.pending.push({ at: this.now + 2, state: "destroyed" });
      }
    }
    if (state === "stopped" && m.config.auto_destroy === true) {
      m.events.push({
        id: newId(26),
        type: "exit",
        status: "stopped",
        source: "flyd",
        timestamp: this.unix() * 1000 + 1,
        request: { exit_event: { exit_code: this.faults.releaseExitCode, oom_killed: false } },
      });
    }
    if (state === "destroyed") {
      for (const v of app.volumes.values()) if (v.attached_machine_id === m.id) v.attached_machine_id = null;
    }
  }

  /** Schedules `created → starting → started` (or `replacing → …` after an update). */
  launch(m: FakeMachine, first: string): void {
    m.state = first;
    m.pending = [
      { at: this.now + 1, state: "starting" },
      { at: this.now + 2, state: "started" },
    ];
  }

  destroy(m: FakeMachine): void {
    m.state = "destroying";
    m.pending = [{ at: this.now + 1, state: "destroyed" }];
  }

  healthy(m: FakeMachine): boolean {
    const image = String(m.config.image ?? "");
    return (
      !this.faults.healthNeverPasses && !this.faults.unhealthyImages.has(image) && this.now >= m.checksPassAt
    );
  }
}
