import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  supabaseAuthConfigProvider,
  type SupabaseAuthConfigInputs,
  supabaseBackupsProvider,
  supabaseNetworkRestrictionsProvider,
  supabasePostgrestConfigProvider,
  supabaseSslEnforcementProvider,
} from "../../../infra/providers/supabase";
import { drifted, REF, up, useFakeManagement } from "./harness";

const AUTH: SupabaseAuthConfigInputs = {
  projectRef: REF,
  siteUrl: "https://app.example.com",
  redirectUrls: ["https://app.example.com/auth/confirm", "https://app.example.com/auth/callback"],
  allowedDomains: ["app.example.com"],
  signupsEnabled: false,
  anonymousSignInsEnabled: false,
};

describe("auth config", () => {
  const fake = useFakeManagement();

  it("converges the project, then a second apply makes no call that changes anything", async () => {
    const { api, project } = fake();
    const state = await up(supabaseAuthConfigProvider, AUTH);
    expect(project.auth).toMatchObject({
      site_url: "https://app.example.com",
      uri_allow_list: "https://app.example.com/auth/callback,https://app.example.com/auth/confirm",
      disable_signup: true,
      external_anonymous_users_enabled: false,
    });
    // Only what differed was sent.
    expect(api.mutations().map((r) => r.body)).toEqual([
      {
        site_url: "https://app.example.com",
        uri_allow_list: "https://app.example.com/auth/callback,https://app.example.com/auth/confirm",
        disable_signup: true,
      },
    ]);
    const before = api.mutations().length;
    await up(supabaseAuthConfigProvider, AUTH, state);
    expect(api.mutations().length).toBe(before);
  });

  it("detects a redirect URL added by hand and removes it on the next apply", async () => {
    const { api, project } = fake();
    const state = await up(supabaseAuthConfigProvider, AUTH);
    project.auth.uri_allow_list += ",https://attacker.example/steal";
    project.auth.external_anonymous_users_enabled = true;
    expect(await drifted(supabaseAuthConfigProvider, AUTH, state)).toBe(true);
    const read = await supabaseAuthConfigProvider.read!(state.id, state.outs);
    expect(read.props!.redirectUrls).toContain("https://attacker.example/steal");
    const before = api.mutations().length;
    await up(supabaseAuthConfigProvider, AUTH, state);
    expect(api.mutations().length).toBe(before + 1);
    expect(project.auth.uri_allow_list).not.toContain("attacker");
    expect(project.auth.external_anonymous_users_enabled).toBe(false);
  });

  it("adopts a project already configured as declared without changing it", async () => {
    const { api, project } = fake();
    Object.assign(project.auth, {
      site_url: AUTH.siteUrl,
      uri_allow_list: [...AUTH.redirectUrls].join(","),
      disable_signup: true,
    });
    await up(supabaseAuthConfigProvider, AUTH);
    expect(api.mutations()).toEqual([]);
  });

  it("refuses, in check, URLs that are not https on the app's own domain", async () => {
    const { failures } = await supabaseAuthConfigProvider.check!({} as SupabaseAuthConfigInputs, {
      ...AUTH,
      siteUrl: "http://app.example.com",
      redirectUrls: ["https://app.example.com.attacker.example/cb", "https://*.example.com/cb"],
    });
    expect(failures?.map((f) => f.property)).toEqual(["siteUrl", "redirectUrls[0]", "redirectUrls[1]"]);
    expect(failures?.[0]?.reason).toMatch(/not https/);
    expect(failures?.[1]?.reason).toMatch(/not on the app's own domain/);
  });
});

describe("SSL enforcement", () => {
  const fake = useFakeManagement();
  const inputs = { projectRef: REF, enforced: true };

  it("turns it on, applies a second time without a call that changes anything, and repairs drift", async () => {
    const { api, project } = fake();
    const state = await up(supabaseSslEnforcementProvider, inputs);
    expect(project.ssl.database).toBe(true);
    expect(api.mutations().map((r) => r.body)).toEqual([{ requestedConfig: { database: true } }]);
    await up(supabaseSslEnforcementProvider, inputs, state);
    expect(api.mutations()).toHaveLength(1);

    project.ssl.database = false;
    project.ssl.requested = false;
    expect(await drifted(supabaseSslEnforcementProvider, inputs, state)).toBe(true);
    await up(supabaseSslEnforcementProvider, inputs, state);
    expect(project.ssl.database).toBe(true);
    expect(api.mutations()).toHaveLength(2);
  });

  it("waits for a slow apply to be reported applied", async () => {
    const { api, project } = fake();
    api.faults.slowApplyReads = 3;
    await up(supabaseSslEnforcementProvider, inputs);
    expect(project.ssl.database).toBe(true);
    expect(api.requests.filter((r) => r.operationId === "v1-get-ssl-enforcement-config")).toHaveLength(5);
  });

  it("fails, naming the setting, when the apply never settles", async () => {
    const { api } = fake();
    api.faults.slowApplyReads = 1_000_000;
    process.env.SUPABASE_API_APPLY_TIMEOUT_MS = "30";
    await expect(up(supabaseSslEnforcementProvider, inputs)).rejects.toThrow(
      /SSL enforcement of project launchpadtestproject was not applied within 30 ms/,
    );
  });
});

describe("network restrictions", () => {
  const fake = useFakeManagement();
  const inputs = { projectRef: REF, allowedCidrs: ["2001:db8::/32", "203.0.113.0/24", "198.51.100.7/32"] };

  it("sends the whole list per family to the apply endpoint and waits until it is applied", async () => {
    const { api, project } = fake();
    api.faults.slowApplyReads = 2;
    const state = await up(supabaseNetworkRestrictionsProvider, inputs);
    expect(api.mutations().map((r) => [r.path, r.body])).toEqual([
      [
        `/v1/projects/${REF}/network-restrictions/apply`,
        { dbAllowedCidrs: ["198.51.100.7/32", "203.0.113.0/24"], dbAllowedCidrsV6: ["2001:db8::/32"] },
      ],
    ]);
    expect(state.outs.status).toBe("applied");
    expect(project.network.pendingReads).toBe(0);
    await up(supabaseNetworkRestrictionsProvider, inputs, state);
    expect(api.mutations()).toHaveLength(1);
  });

  it("detects a range added by hand and applies the declared list again", async () => {
    const { api, project } = fake();
    const state = await up(supabaseNetworkRestrictionsProvider, inputs);
    project.network.config.dbAllowedCidrs = [...project.network.config.dbAllowedCidrs!, "0.0.0.0/0"];
    expect(await drifted(supabaseNetworkRestrictionsProvider, inputs, state)).toBe(true);
    await up(supabaseNetworkRestrictionsProvider, inputs, state);
    expect(project.network.config.dbAllowedCidrs).toEqual(["198.51.100.7/32", "203.0.113.0/24"]);
    expect(api.mutations()).toHaveLength(2);
  });

  it("leaves an unrestricted project alone when unrestricted is what is declared", async () => {
    const { api } = fake();
    await up(supabaseNetworkRestrictionsProvider, { projectRef: REF, allowedCidrs: ["0.0.0.0/0", "::/0"] });
    expect(api.mutations()).toEqual([]);
  });

  it("says the plan lacks the feature instead of failing on a 403", async () => {
    const { api } = fake();
    api.store.projects.get(REF)!.network.entitlement = "disallowed";
    await expect(up(supabaseNetworkRestrictionsProvider, inputs)).rejects.toThrow(
      /plan does not include them \(entitlement "disallowed"\)/,
    );
    expect(api.mutations()).toEqual([]);
  });

  it("refuses an invalid CIDR in check, naming its index", async () => {
    const { failures } = await supabaseNetworkRestrictionsProvider.check!(
      { projectRef: REF, allowedCidrs: [] },
      { projectRef: REF, allowedCidrs: ["10.0.0.0/8", "10.0.0.300/24", "2001:db8::/129"] },
    );
    expect(failures?.map((f) => f.property)).toEqual(["allowedCidrs[1]", "allowedCidrs[2]"]);
  });
});

describe("PostgREST config", () => {
  const fake = useFakeManagement();
  const inputs = { projectRef: REF, schemas: ["public"], maxRows: 500 };

  it("exposes only the declared schemas, idempotently, and repairs a schema exposed by hand", async () => {
    const { api, project } = fake();
    const state = await up(supabasePostgrestConfigProvider, inputs);
    expect(project.postgrest).toMatchObject({ db_schema: "public", max_rows: 500 });
    await up(supabasePostgrestConfigProvider, inputs, state);
    expect(api.mutations()).toHaveLength(1);

    project.postgrest.db_schema = "public,private";
    expect(await drifted(supabasePostgrestConfigProvider, inputs, state)).toBe(true);
    const repaired = await up(supabasePostgrestConfigProvider, inputs, state);
    expect(project.postgrest.db_schema).toBe("public");
    expect(api.mutations().map((r) => r.body)).toEqual([
      { db_schema: "public", max_rows: 500 },
      { db_schema: "public" },
    ]);
    expect(JSON.stringify(repaired)).not.toContain(project.postgrest.jwt_secret);
  });
});

describe("backups", () => {
  const fake = useFakeManagement();
  const inputs = { projectRef: REF, pitrRequired: true };

  it("reads the backup status and PITR without any call that changes anything, and sees PITR turned on", async () => {
    const { api, project } = fake();
    const state = await up(supabaseBackupsProvider, inputs);
    expect(state.outs).toMatchObject({
      pitrEnabled: false,
      walgEnabled: true,
      completedBackups: 2,
      latestBackupAt: "2025-12-31T02:00:00.000Z",
    });
    project.backups.pitr_enabled = true;
    const read = await supabaseBackupsProvider.read!(state.id, state.outs);
    expect(read.props!.pitrEnabled).toBe(true);
    expect(api.mutations()).toEqual([]);
  });
});

describe("delete leaves the project as it is, and says so", () => {
  const fake = useFakeManagement();
  const logged: string[] = [];
  beforeEach(() => {
    logged.length = 0;
    vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => void logged.push(args.join(" ")));
  });
  afterEach(() => vi.restoreAllMocks());

  it("makes no call and logs that the settings stay", async () => {
    const { api, project } = fake();
    const auth = await up(supabaseAuthConfigProvider, AUTH);
    const ssl = await up(supabaseSslEnforcementProvider, { projectRef: REF, enforced: true });
    const calls = api.requests.length;
    await supabaseAuthConfigProvider.delete!(auth.id, auth.outs);
    await supabaseSslEnforcementProvider.delete!(ssl.id, ssl.outs);
    expect(api.requests.length).toBe(calls);
    expect(project.ssl.database).toBe(true);
    expect(project.auth.site_url).toBe(AUTH.siteUrl);
    expect(logged.join("\n")).toMatch(
      /Auth config of Supabase project launchpadtestproject: no longer managed; the project keeps its current settings/,
    );
  });
});
