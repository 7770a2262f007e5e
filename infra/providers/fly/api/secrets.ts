/** App secrets endpoints: /v1/apps/{app}/secrets. Values are only ever sent, never read back. */

import { flyRequest } from "../http";
import type { AppSecret, AppSecretsUpdateResp } from "../types";

const enc = encodeURIComponent;

export const secrets = {
  /** Names and Fly digests of the app's secrets; undefined when the app does not exist. */
  async list(app: string): Promise<AppSecret[] | undefined> {
    const res = await flyRequest<{ secrets?: AppSecret[] }>({
      method: "GET",
      path: `/v1/apps/${enc(app)}/secrets`,
      resource: `secrets of app ${app}`,
      notFoundOk: true,
    });
    if (res.status === 404) return undefined;
    return (res.body?.secrets ?? []).map(({ value: _value, ...rest }) => rest);
  },

  /**
   * Sets (string) and unsets (null) secrets in one call and returns the new secrets version.
   * Setting values is a pure upsert, so it is safe to repeat. `null` unsets: the spec types the
   * values as strings but its description documents nil as "unset", which the live API honours.
   */
  async update(
    app: string,
    values: Record<string, string | null>,
  ): Promise<{ version: number; secrets: AppSecret[] | undefined }> {
    const res = await flyRequest<AppSecretsUpdateResp>({
      method: "POST",
      path: `/v1/apps/${enc(app)}/secrets`,
      body: { values },
      resource: `secrets of app ${app}`,
      idempotent: true,
    });
    const secrets = res.body?.secrets?.map(({ value: _value, ...rest }) => rest);
    return { version: res.body?.version ?? res.body?.Version ?? 0, secrets };
  },
};
