/** Route handlers of the fake, by the spec's operation ids. */

import type { FakeFaults } from "./faults";
import type { FakeProject, FakeStore } from "./store";

export interface Ctx {
  store: FakeStore;
  faults: FakeFaults;
  project: FakeProject;
  // Bodies are validated against the spec before a handler sees them.
  body: any;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (ctx: Ctx) => Reply;

export const error = (status: number, message: string): Reply => ({ status, body: { message } });

function sslAnswer(project: FakeProject): Reply {
  const ssl = project.ssl;
  if (ssl.pendingReads > 0) {
    ssl.pendingReads--;
    const answer = { currentConfig: { database: ssl.database }, appliedSuccessfully: false };
    if (ssl.pendingReads === 0) ssl.database = ssl.requested;
    return { status: 200, body: answer };
  }
  return { status: 200, body: { currentConfig: { database: ssl.database }, appliedSuccessfully: true } };
}

function networkAnswer(project: FakeProject, status: number, countRead: boolean): Reply {
  const net = project.network;
  const pending = net.pendingReads > 0;
  if (countRead && pending) net.pendingReads--;
  return {
    status,
    body: {
      entitlement: net.entitlement,
      config: net.config,
      ...(net.old_config ? { old_config: net.old_config } : {}),
      status: pending ? "stored" : "applied",
      ...(net.updated_at ? { updated_at: net.updated_at } : {}),
      ...(net.applied_at ? { applied_at: net.applied_at } : {}),
    },
  };
}

function postgrestAnswer(project: FakeProject, withSecret: boolean): Reply {
  const { jwt_secret, ...config } = project.postgrest;
  return { status: 200, body: withSecret ? { ...config, jwt_secret } : config };
}

export const HANDLERS: Record<string, Handler> = {
  "v1-get-auth-service-config": ({ project }) => ({ status: 200, body: project.auth }),

  "v1-update-auth-service-config": ({ project, body }) => {
    Object.assign(project.auth, body);
    return { status: 200, body: project.auth };
  },

  "v1-get-ssl-enforcement-config": ({ project }) => sslAnswer(project),

  "v1-update-ssl-enforcement-config": ({ project, body, faults }) => {
    project.ssl.requested = body.requestedConfig.database;
    if (faults.slowApplyReads > 0) {
      project.ssl.pendingReads = faults.slowApplyReads;
      return {
        status: 200,
        body: { currentConfig: { database: project.ssl.database }, appliedSuccessfully: false },
      };
    }
    project.ssl.database = project.ssl.requested;
    return sslAnswer(project);
  },

  "v1-get-network-restrictions": ({ project }) => networkAnswer(project, 200, true),

  "v1-update-network-restrictions": ({ project, body, faults, store }) => {
    const net = project.network;
    if (net.entitlement === "disallowed")
      return error(403, "network restrictions are not available on this plan");
    net.old_config = net.config;
    net.config = { dbAllowedCidrs: body.dbAllowedCidrs ?? [], dbAllowedCidrsV6: body.dbAllowedCidrsV6 ?? [] };
    net.updated_at = store.now();
    net.applied_at = store.now();
    // Stored now, applied in the background: at least one read later.
    net.pendingReads = Math.max(1, faults.slowApplyReads);
    return networkAnswer(project, 201, false);
  },

  "v1-get-postgrest-service-config": ({ project }) => postgrestAnswer(project, true),

  "v1-update-postgrest-service-config": ({ project, body }) => {
    Object.assign(project.postgrest, body);
    return postgrestAnswer(project, false);
  },

  "v1-list-all-backups": ({ project }) => {
    const { backups } = project;
    const unix = backups.backups.map((b) => Math.floor(Date.parse(b.inserted_at) / 1000));
    return {
      status: 200,
      body: {
        ...backups,
        physical_backup_data: unix.length
          ? {
              earliest_physical_backup_date_unix: Math.min(...unix),
              latest_physical_backup_date_unix: Math.max(...unix),
            }
          : {},
      },
    };
  },
};
