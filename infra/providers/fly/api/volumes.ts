/** Volumes endpoints: /v1/apps/{app}/volumes. */

import { flyRequest } from "../http";
import type { CreateVolumeRequest, Volume } from "../types";

const enc = encodeURIComponent;
const label = (app: string, id: string) => `volume ${id} of app ${app}`;

export const volumes = {
  async list(app: string): Promise<Volume[]> {
    const res = await flyRequest<Volume[]>({
      method: "GET",
      path: `/v1/apps/${enc(app)}/volumes`,
      resource: `volumes of app ${app}`,
    });
    return res.body ?? [];
  },

  async create(app: string, req: CreateVolumeRequest): Promise<Volume> {
    const res = await flyRequest<Volume>({
      method: "POST",
      path: `/v1/apps/${enc(app)}/volumes`,
      body: req,
      resource: `volume ${req.name} of app ${app}`,
    });
    if (!res.body?.id) throw new Error(`Fly API returned no volume id for volume ${req.name} of app ${app}`);
    return res.body;
  },

  async get(app: string, id: string): Promise<Volume | undefined> {
    const res = await flyRequest<Volume>({
      method: "GET",
      path: `/v1/apps/${enc(app)}/volumes/${enc(id)}`,
      resource: label(app, id),
      notFoundOk: true,
    });
    return res.status === 404 ? undefined : res.body;
  },

  async update(
    app: string,
    id: string,
    req: { auto_backup_enabled?: boolean; snapshot_retention?: number },
  ): Promise<Volume | undefined> {
    const res = await flyRequest<Volume>({
      method: "PUT",
      path: `/v1/apps/${enc(app)}/volumes/${enc(id)}`,
      body: req,
      resource: label(app, id),
    });
    return res.body;
  },

  async extend(app: string, id: string, sizeGb: number): Promise<void> {
    await flyRequest({
      method: "PUT",
      path: `/v1/apps/${enc(app)}/volumes/${enc(id)}/extend`,
      body: { size_gb: sizeGb },
      resource: label(app, id),
    });
  },

  /** 409 while a machine is attached; a missing volume counts as deleted. */
  async delete(app: string, id: string): Promise<void> {
    await flyRequest({
      method: "DELETE",
      path: `/v1/apps/${enc(app)}/volumes/${enc(id)}`,
      resource: label(app, id),
      notFoundOk: true,
    });
  },
};
