/** Apps endpoints: /v1/apps. */

import { flyRequest } from "../http";
import type { CreateAppRequest, CreateAppResponse, FlyAppInfo } from "../types";

const enc = encodeURIComponent;

export const apps = {
  /** 201 on create; 422 `name_taken` when the name is used. Idempotent when a key is sent. */
  async create(req: CreateAppRequest): Promise<CreateAppResponse> {
    const res = await flyRequest<CreateAppResponse>({
      method: "POST",
      path: "/v1/apps",
      body: req,
      resource: `app ${req.name}`,
      idempotent: req.idempotency_key !== undefined,
    });
    return res.body ?? {};
  },

  /** The app, or undefined when it does not exist. */
  async get(name: string): Promise<FlyAppInfo | undefined> {
    const res = await flyRequest<FlyAppInfo>({
      method: "GET",
      path: `/v1/apps/${enc(name)}`,
      resource: `app ${name}`,
      notFoundOk: true,
    });
    return res.status === 404 ? undefined : res.body;
  },

  /** 202 Accepted; a missing app counts as deleted. */
  async delete(name: string): Promise<void> {
    await flyRequest({
      method: "DELETE",
      path: `/v1/apps/${enc(name)}`,
      resource: `app ${name}`,
      notFoundOk: true,
    });
  },
};
