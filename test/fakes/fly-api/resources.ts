/** Fake handlers: volumes, IP assignments and certificates. */

import { error, type Handler } from "./handler";
import { type FakeVolume, type Json, newId } from "./store";

function ipFor(type: string, n: number, org: string): Json {
  switch (type) {
    case "shared_v4":
      return { ip: "66.241.125.42", shared: true, network: null };
    case "v4":
      return { ip: `137.66.${Math.floor(n / 250)}.${(n % 250) + 1}`, shared: false, network: null };
    case "v6":
      return { ip: `2a09:8280:1::${n.toString(16)}:0`, shared: false, network: null };
    default:
      return { ip: `fdaa:0:1:a7b:${n.toString(16)}::1`, shared: false, network: { name: "", org_slug: org } };
  }
}

export const resourceHandlers: Record<string, Handler> = {
  Volumes_list: ({ app }) => ({ status: 200, body: [...app.volumes.values()] }),

  Volumes_create({ app, store, body }) {
    if (!body.name || !body.region || !body.size_gb)
      return error(400, "name, region and size_gb are required");
    const volume: FakeVolume = {
      id: `vol_${newId(16)}`,
      name: body.name,
      region: body.region,
      size_gb: body.size_gb,
      encrypted: body.encrypted ?? true,
      state: "created",
      attached_machine_id: null,
      attached_alloc_id: null,
      auto_backup_enabled: body.auto_backup_enabled ?? true,
      snapshot_retention: body.snapshot_retention ?? 5,
      zone: "a1b2",
      fstype: "ext4",
      created_at: store.iso(),
    };
    app.volumes.set(volume.id, volume);
    return { status: 200, body: volume };
  },

  Volumes_get_by_id({ app, params }) {
    const v = app.volumes.get(params.volume_id);
    return v ? { status: 200, body: v } : error(404, "volume not found");
  },

  Volumes_update({ app, params, body }) {
    const v = app.volumes.get(params.volume_id);
    if (!v) return error(404, "volume not found");
    if (body.auto_backup_enabled !== undefined) v.auto_backup_enabled = body.auto_backup_enabled;
    if (body.snapshot_retention !== undefined) v.snapshot_retention = body.snapshot_retention;
    return { status: 200, body: v };
  },

  Volumes_extend({ app, params, body }) {
    const v = app.volumes.get(params.volume_id);
    if (!v) return error(404, "volume not found");
    if (!(body.size_gb > v.size_gb)) return error(400, `size_gb must be larger than ${v.size_gb}`);
    v.size_gb = body.size_gb;
    return { status: 200, body: { volume: v, needs_restart: v.attached_machine_id !== null } };
  },

  Volume_delete({ app, params }) {
    const v = app.volumes.get(params.volume_id);
    if (!v) return error(404, "volume not found");
    if (v.attached_machine_id)
      return error(409, `volume ${v.id} is attached to machine ${v.attached_machine_id}`);
    app.volumes.delete(v.id);
    return { status: 200, body: { ...v, state: "destroyed" } };
  },

  App_IPAssignments_list: ({ app }) => ({ status: 200, body: { ips: app.ips } }),

  App_IPAssignments_create({ app, store, body }) {
    const type: string = body.type ?? "v6";
    if (type.startsWith("egress")) return error(400, "egress IPs are not supported by this fake");
    if (type === "v4" && !body.region) return error(400, "a dedicated v4 needs a region");
    const existingShared = app.ips.find((a) => a.shared === true);
    if (type === "shared_v4" && existingShared) return { status: 200, body: existingShared };
    const assignment = {
      ...ipFor(type, store.nextIpSuffix(), app.org),
      region: body.region ?? "global",
      service_name: body.service_name ?? "",
      created_at: store.iso(),
      egress: false,
    };
    app.ips.push(assignment);
    return { status: 200, body: assignment };
  },

  App_IPAssignments_delete({ app, params }) {
    const idx = app.ips.findIndex((a) => a.ip === params.ip);
    if (idx < 0) return error(404, "ip not found");
    app.ips.splice(idx, 1);
    return { status: 204 };
  },

  App_Certificates_list({ app }) {
    const certificates = [...app.certificates.values()].map((c) => ({
      hostname: c.hostname,
      status: c.status,
      configured: c.configured,
      acme_requested: true,
    }));
    return { status: 200, body: { certificates, total_count: certificates.length } };
  },

  App_Certificates_acme_create({ app, body }) {
    const hostname: string | undefined = body.hostname;
    if (!hostname) return error(400, "hostname is required");
    if (app.certificates.has(hostname)) return error(422, `a certificate for ${hostname} already exists`);
    const v4 = app.ips.filter((a) => !String(a.ip).includes(":")).map((a) => String(a.ip));
    const v6 = app.ips.filter((a) => String(a.ip).includes(":") && !a.network).map((a) => String(a.ip));
    const cert = {
      hostname,
      status: "pending_validation",
      configured: false,
      acme_requested: true,
      certificates: [],
      dns_requirements: {
        a: v4,
        aaaa: v6,
        cname: `${app.name}.fly.dev`,
        acme_challenge: { name: `_acme-challenge.${hostname}`, target: `${hostname}.${app.name}.flydns.net` },
      },
    };
    app.certificates.set(hostname, cert);
    return { status: 201, body: cert };
  },

  App_Certificates_show({ app, params }) {
    const cert = app.certificates.get(params.hostname);
    return cert ? { status: 200, body: cert } : error(404, "certificate not found");
  },

  App_Certificates_delete({ app, params }) {
    if (!app.certificates.delete(params.hostname)) return error(404, "certificate not found");
    return { status: 204 };
  },
};
