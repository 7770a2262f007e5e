/** TLS certificate endpoints: /v1/apps/{app}/certificates. */

import { flyRequest } from "../http";
import type { CertificateDetail } from "../types";

const enc = encodeURIComponent;
const label = (app: string, hostname: string) => `certificate ${hostname} of app ${app}`;

export const certificates = {
  async requestAcme(app: string, hostname: string): Promise<CertificateDetail> {
    const res = await flyRequest<CertificateDetail>({
      method: "POST",
      path: `/v1/apps/${enc(app)}/certificates/acme`,
      body: { hostname },
      resource: label(app, hostname),
    });
    return res.body ?? { hostname };
  },

  async get(app: string, hostname: string): Promise<CertificateDetail | undefined> {
    const res = await flyRequest<CertificateDetail>({
      method: "GET",
      path: `/v1/apps/${enc(app)}/certificates/${enc(hostname)}`,
      resource: label(app, hostname),
      notFoundOk: true,
    });
    return res.status === 404 ? undefined : res.body;
  },

  async delete(app: string, hostname: string): Promise<void> {
    await flyRequest({
      method: "DELETE",
      path: `/v1/apps/${enc(app)}/certificates/${enc(hostname)}`,
      resource: label(app, hostname),
      notFoundOk: true,
    });
  },
};
