import { describe, expect, it } from "vitest";
import {
  supabaseAuthConfigProvider,
  supabaseBackupsProvider,
  supabaseNetworkRestrictionsProvider,
  supabasePostgrestConfigProvider,
  supabaseSslEnforcementProvider,
} from "../../../infra/providers/supabase";
import { AUTH_SECRETS, JWT_SECRET } from "../../fakes/supabase-management";
import { REF, up, useFakeManagement } from "./harness";
import { captureConsole } from "../console-capture";

describe("the access token and the project's secrets never leak", () => {
  const fake = useFakeManagement();
  const logged = captureConsole();

  it("keeps them out of state, errors and logs over a full lifecycle", async () => {
    const { api } = fake();
    const states = [
      await up(supabaseAuthConfigProvider, {
        projectRef: REF,
        siteUrl: "https://app.example.com",
        redirectUrls: ["https://app.example.com/auth/callback"],
        allowedDomains: ["app.example.com"],
        signupsEnabled: true,
        anonymousSignInsEnabled: false,
      }),
      await up(supabaseSslEnforcementProvider, { projectRef: REF, enforced: true }),
      await up(supabaseNetworkRestrictionsProvider, { projectRef: REF, allowedCidrs: ["0.0.0.0/0", "::/0"] }),
      await up(supabasePostgrestConfigProvider, { projectRef: REF, schemas: ["public"], maxRows: 1000 }),
      await up(supabaseBackupsProvider, { projectRef: REF, pitrRequired: false }),
    ];
    const reads = await Promise.all(
      states.map((s, i) =>
        [
          supabaseAuthConfigProvider,
          supabaseSslEnforcementProvider,
          supabaseNetworkRestrictionsProvider,
          supabasePostgrestConfigProvider,
          supabaseBackupsProvider,
        ][i]!.read!(s.id, s.outs as never),
      ),
    );
    api.faults.failures.push({ status: 403 });
    const failed = await supabaseSslEnforcementProvider.read!(states[1]!.id, states[1]!.outs as never).catch(
      (e: Error) => e,
    );
    expect(String(failed)).toMatch(/HTTP 403.*lacks the scope/);

    const everything = JSON.stringify({
      states,
      reads,
      error: String(failed),
      stack: (failed as Error).stack,
      logged,
    });
    for (const secret of [api.token, JWT_SECRET, ...Object.values(AUTH_SECRETS)])
      expect(everything).not.toContain(secret);
    // The token was sent, as a bearer header, on every call.
    expect(new Set(api.requests.map((r) => r.authorization))).toEqual(new Set([`Bearer ${api.token}`]));
  });

  it("reads the token at call time and names the variable when it is missing", async () => {
    const { api } = fake();
    delete process.env.SUPABASE_ACCESS_TOKEN;
    await expect(up(supabaseSslEnforcementProvider, { projectRef: REF, enforced: true })).rejects.toThrow(
      /SUPABASE_ACCESS_TOKEN is not set/,
    );
    expect(api.requests).toEqual([]);
    process.env.SUPABASE_ACCESS_TOKEN = api.token;
    await up(supabaseSslEnforcementProvider, { projectRef: REF, enforced: true });
    expect(api.requests.length).toBeGreaterThan(0);
  });
});
