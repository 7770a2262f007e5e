/** IP assignment endpoints: /v1/apps/{app}/ip_assignments. */

import { flyRequest } from "../http";
import type { IpAssignment, IpType } from "../types";

const enc = encodeURIComponent;

export const ips = {
  /** The app's IPs; undefined when the app does not exist. */
  async list(app: string): Promise<IpAssignment[] | undefined> {
    const res = await flyRequest<{ ips?: IpAssignment[] }>({
      method: "GET",
      path: `/v1/apps/${enc(app)}/ip_assignments`,
      resource: `IP assignments of app ${app}`,
      notFoundOk: true,
    });
    return res.status === 404 ? undefined : (res.body?.ips ?? []);
  },

  async assign(app: string, type: IpType, region?: string): Promise<IpAssignment> {
    const res = await flyRequest<IpAssignment>({
      method: "POST",
      path: `/v1/apps/${enc(app)}/ip_assignments`,
      body: { type, ...(region ? { region } : {}) },
      resource: `${type} IP of app ${app}`,
    });
    if (!res.body?.ip) throw new Error(`Fly API returned no address for the ${type} IP of app ${app}`);
    return res.body;
  },

  async release(app: string, ip: string): Promise<void> {
    await flyRequest({
      method: "DELETE",
      path: `/v1/apps/${enc(app)}/ip_assignments/${enc(ip)}`,
      resource: `IP ${ip} of app ${app}`,
      notFoundOk: true,
    });
  },
};
