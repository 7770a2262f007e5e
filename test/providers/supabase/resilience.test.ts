import { describe, expect, it } from "vitest";
import {
  management,
  supabaseNetworkRestrictionsProvider,
  supabaseSslEnforcementProvider,
} from "../../../infra/providers/supabase";
import { REF, up, useFakeManagement } from "./harness";

const AUTH_PATH = `/v1/projects/${REF}/config/auth`;

describe("the Management client retries what is safe to retry", () => {
  const fake = useFakeManagement();

  it("retries a read on 429 (honouring Retry-After) and on 5xx", async () => {
    const { api } = fake();
    api.faults.failures.push({ method: "GET", path: AUTH_PATH, status: 429, retryAfter: "0" });
    api.faults.failures.push({ method: "GET", path: AUTH_PATH, status: 503 });
    await management.getAuthConfig(REF);
    expect(api.requests.filter((r) => r.path === AUTH_PATH).map((r) => r.status)).toEqual([429, 503, 200]);
  });

  it("retries a change on 429, which means it was not processed", async () => {
    const { api, project } = fake();
    api.faults.failures.push({ method: "PATCH", path: AUTH_PATH, status: 429, times: 2 });
    await management.updateAuthConfig(REF, { disable_signup: true });
    expect(api.mutations().map((r) => r.status)).toEqual([429, 429, 200]);
    expect(project.auth.disable_signup).toBe(true);
  });

  it("never repeats a change after a 5xx, which may follow an applied change", async () => {
    const { api, project } = fake();
    api.faults.failures.push({ method: "PATCH", path: AUTH_PATH, status: 500, afterApply: true });
    await expect(management.updateAuthConfig(REF, { disable_signup: true })).rejects.toThrow(
      /PATCH \/v1\/projects\/launchpadtestproject\/config\/auth for auth config of project launchpadtestproject failed with HTTP 500/,
    );
    expect(api.mutations()).toHaveLength(1);
    expect(project.auth.disable_signup).toBe(true);
  });

  it("gives up after the bounded retries, with the status", async () => {
    const { api } = fake();
    api.faults.failures.push({ method: "GET", path: AUTH_PATH, status: 503, times: 10 });
    await expect(management.getAuthConfig(REF)).rejects.toThrow(/HTTP 503/);
    expect(api.requests).toHaveLength(4); // 1 + SUPABASE_API_MAX_RETRIES (3)
  });

  it("times out a read that hangs and retries it; a change that hangs is not repeated", async () => {
    const { api } = fake();
    process.env.SUPABASE_API_TIMEOUT_MS = "50";
    api.faults.failures.push({ method: "GET", path: AUTH_PATH, delayMs: 300 });
    await management.getAuthConfig(REF);
    expect(api.requests.filter((r) => r.path === AUTH_PATH)).toHaveLength(2);

    api.faults.failures.push({ method: "PUT", delayMs: 300 });
    await expect(up(supabaseSslEnforcementProvider, { projectRef: REF, enforced: true })).rejects.toThrow(
      /PUT \/v1\/projects\/launchpadtestproject\/ssl-enforcement .*TimeoutError/,
    );
    expect(api.mutations()).toHaveLength(1);
  });

  it("treats a dropped connection on a change as failed, without repeating it", async () => {
    const { api } = fake();
    api.faults.failures.push({ method: "PUT", status: "drop" });
    await expect(up(supabaseSslEnforcementProvider, { projectRef: REF, enforced: true })).rejects.toThrow(
      /ssl-enforcement/,
    );
    expect(api.mutations()).toHaveLength(1);
  });

  it("after an answer lost behind an applied change, the next apply reads the project and sends nothing", async () => {
    const { api, project } = fake();
    const inputs = { projectRef: REF, allowedCidrs: ["203.0.113.0/24", "2001:db8::/48"] };
    api.faults.failures.push({ method: "POST", status: 502, afterApply: true });
    await expect(up(supabaseNetworkRestrictionsProvider, inputs)).rejects.toThrow(/HTTP 502/);
    expect(project.network.config.dbAllowedCidrs).toEqual(["203.0.113.0/24"]);
    await up(supabaseNetworkRestrictionsProvider, inputs);
    expect(api.mutations()).toHaveLength(1);
  });
});
