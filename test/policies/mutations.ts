/**
 * At least one violation per rule, injected into the recorded resources of a real stack: an existing
 * resource is changed where the stack has one of the kind, else a resource of the kind is added
 * under the app that would declare it.
 */
import { FLY, GITHUB, GRAFANA, PG, POSTGRESQL, SUPABASE, VERCEL } from "../../policies/rules/lib/types";
import type { RecordedResource } from "../../tools/engine/types";
import { resource, withInput } from "./support";

export interface Mutated {
  resources: RecordedResource[];
  /** Where the rule must now report. */
  urn: string;
  /** Whether an existing resource of the stack was changed (rather than one added). */
  existing: boolean;
}

export interface Mutation {
  rule: string;
  what: string;
  apply(resources: readonly RecordedResource[]): Mutated;
}

const stackOf = (resources: readonly RecordedResource[]): string =>
  resources[0]!.urn.split("::")[0]!.slice(11);

function find(
  resources: readonly RecordedResource[],
  test: (r: RecordedResource) => boolean,
): RecordedResource {
  const found = resources.find(test);
  if (!found) throw new Error("the stack has no resource this mutation needs");
  return found;
}

const app = (resources: readonly RecordedResource[], name: string) =>
  find(resources, (r) => r.type === "launchpad:index:App" && r.name === name);

/** Changes the first resource passing `test`; adds `inject()` when there is none. */
function changeOrAdd(
  resources: readonly RecordedResource[],
  test: (r: RecordedResource) => boolean,
  change: (r: RecordedResource) => RecordedResource,
  inject?: () => RecordedResource,
): Mutated {
  const target = inject ? resources.find(test) : find(resources, test);
  if (target) {
    const changed = change(target);
    return {
      resources: resources.map((r) => (r === target ? changed : r)),
      urn: changed.urn,
      existing: true,
    };
  }
  const added = inject!();
  return { resources: [...resources, added], urn: added.urn, existing: false };
}

const isHttpMachine = (r: RecordedResource): boolean =>
  r.type === FLY.machine &&
  Array.isArray(r.inputs["services"]) &&
  (r.inputs["services"] as unknown[]).length > 0;

function webMachine(
  resources: readonly RecordedResource[],
  inputs: Record<string, unknown>,
): RecordedResource {
  const stack = stackOf(resources);
  return resource(
    stack,
    FLY.machine,
    "mona-spark-backend-api-machine-9",
    {
      app: `mona-spark-api-${stack}`,
      name: "api-9",
      guest: { cpus: 1, memoryMb: 512 },
      env: { RATE_LIMIT_PER_MINUTE: "300" },
      metadata: { launchpad_service: "api" },
      services: [
        { internalPort: 3001, forceHttps: true, checks: [{ type: "http", port: 3001, path: "/health" }] },
      ],
      ...inputs,
    },
    { parent: app(resources, "mona-spark") },
  );
}

export const MUTATIONS: Mutation[] = [
  {
    rule: "https-everywhere",
    what: "an alert webhook delivering over plain http",
    apply: (rs) =>
      changeOrAdd(
        rs,
        (r) => r.type === GITHUB.webhook,
        (r) =>
          withInput(r, ["configuration"], {
            url: "http://discord.com/api/webhooks/0/t/github",
            insecureSsl: false,
          }),
      ),
  },
  {
    rule: "hsts-on-domains",
    what: "a project's HSTS route removed",
    apply: (rs) => {
      const route = find(rs, (r) => r.type === VERCEL.route && r.name.endsWith("-hsts"));
      const project = find(rs, (r) => route.propertyDependencies["projectId"]?.includes(r.urn) ?? false);
      return { resources: rs.filter((r) => r !== route), urn: project.urn, existing: true };
    },
  },
  {
    rule: "secrets-in-secrets-manager",
    what: "a server-side secret no longer sensitive on Vercel",
    apply: (rs) =>
      changeOrAdd(
        rs,
        (r) => r.type === VERCEL.envVar && r.inputs["sensitive"] === true,
        (r) => withInput(r, ["sensitive"], false),
      ),
  },
  {
    rule: "secrets-encrypted-in-config",
    what: "an app's secret value stored in plain text in the stack file",
    apply: (rs) => {
      const mapquiz = app(rs, "mapquiz");
      const file = `Pulumi.${stackOf(rs)}.yaml`;
      const changed = withInput(
        mapquiz,
        ["secretsInPlainText"],
        [{ file, key: "launchpad:secrets.mapquiz.BETTER_AUTH_SECRET" }],
      );
      return { resources: rs.map((r) => (r === mapquiz ? changed : r)), urn: changed.urn, existing: true };
    },
  },
  {
    rule: "rls-policies-strict",
    what: "a SELECT policy with USING (true)",
    apply: (rs) =>
      changeOrAdd(
        rs,
        (r) => r.type === PG.tableRls,
        (r) =>
          withInput(r, ["rls"], {
            model: "policies",
            policies: [{ name: "open", command: "select", roles: ["anon"], using: "true" }],
          }),
        () =>
          resource(
            stackOf(rs),
            PG.tableRls,
            "workspace-analytics-db-rls-custom-kpis",
            {
              databaseUrl: "[secret]",
              table: "custom_kpis",
              rls: {
                model: "policies",
                policies: [{ name: "open", command: "select", roles: ["anon"], using: "true" }],
              },
            },
            { parent: app(rs, "workspace-analytics"), additionalSecretOutputs: ["databaseUrl"] },
          ),
      ),
  },
  {
    rule: "membership-not-member-writable",
    what: "a membership table declared with the owner model (its members write their own rows)",
    apply: (rs) => {
      const tenant = find(
        rs,
        (r) => r.type === PG.tableRls && (r.inputs["rls"] as { model?: string })?.model === "tenant",
      );
      const table = (tenant.inputs["rls"] as { membershipTable: string }).membershipTable;
      return changeOrAdd(
        rs,
        (r) => r.type === PG.tableRls && r.inputs["table"] === table && r.parent === tenant.parent,
        (r) => withInput(r, ["rls"], { model: "owner", column: "user_id" }),
      );
    },
  },
  {
    rule: "functions-not-public",
    what: "a database whose migrator's future functions stay executable by PUBLIC (the revoking default privileges removed)",
    apply: (rs) => {
      const revoke = find(
        rs,
        (r) =>
          r.type === POSTGRESQL.defaultPrivileges &&
          r.inputs["objectType"] === "function" &&
          r.inputs["role"] === "public",
      );
      const database = find(rs, (r) => r.urn === revoke.parent);
      return { resources: rs.filter((r) => r !== revoke), urn: database.urn, existing: true };
    },
  },
  {
    rule: "rls-on-every-table",
    what: "a catalog table whose RLS declares no policy",
    apply: (rs) =>
      changeOrAdd(
        rs,
        (r) => r.type === PG.tableRls && r.inputs["table"] === "workspaces",
        (r) =>
          withInput(
            withInput(r, ["rls"], { model: "policies", policies: [] }),
            ["additionalPolicies"],
            undefined,
          ),
        () =>
          resource(
            stackOf(rs),
            PG.tableRls,
            "workspace-analytics-db-rls-workspaces",
            {
              databaseUrl: "[secret]",
              table: "workspaces",
              rls: { model: "policies", policies: [] },
            },
            { parent: app(rs, "workspace-analytics"), additionalSecretOutputs: ["databaseUrl"] },
          ),
      ),
  },
  {
    rule: "strict-cors",
    what: "a CORS route granting every origin",
    apply: (rs) => {
      const route = find(rs, (r) => r.type === VERCEL.route && r.name.includes("-cors-"));
      const transforms = structuredClone(
        route.inputs["route"] as { transforms: Array<{ target: string; args: string }> },
      ).transforms;
      const acao = transforms.find((t) => t.target.includes("Access-Control-Allow-Origin"))!;
      acao.args = JSON.stringify("*");
      const changed = withInput(route, ["route", "transforms"], transforms);
      return { resources: rs.map((r) => (r === route ? changed : r)), urn: route.urn, existing: true };
    },
  },
  {
    rule: "frontend-rate-limit",
    what: "a production firewall without its rate_limit rule",
    apply: (rs) => {
      const firewall = find(rs, (r) => r.type === VERCEL.firewall);
      const project = find(rs, (r) => firewall.propertyDependencies["projectId"]?.includes(r.urn) ?? false);
      const changed = withInput(firewall, ["rules", "rules"], []);
      return { resources: rs.map((r) => (r === firewall ? changed : r)), urn: project.urn, existing: true };
    },
  },
  {
    rule: "backend-rate-limit",
    what: "a web machine without its rate limit",
    apply: (rs) =>
      changeOrAdd(
        rs,
        (r) => isHttpMachine(r) && "RATE_LIMIT_PER_MINUTE" in (r.inputs["env"] as object),
        (r) => withInput(r, ["env", "RATE_LIMIT_PER_MINUTE"], undefined),
        () => webMachine(rs, { env: {} }),
      ),
  },
  {
    rule: "audit-logs",
    what: "an audited table left without its audit trigger",
    apply: (rs) =>
      changeOrAdd(
        rs,
        (r) => r.type === PG.platformTables && r.name.startsWith("workspace-analytics"),
        (r) => withInput(r, ["auditedTables"], ["workspaces"]),
        () =>
          resource(
            stackOf(rs),
            PG.platformTables,
            "workspace-analytics-db-platform-tables",
            {
              databaseUrl: "[secret]",
              auditedTables: ["workspaces"],
            },
            {
              parent: app(rs, "workspace-analytics"),
              protect: true,
              additionalSecretOutputs: ["databaseUrl"],
            },
          ),
      ),
  },
  {
    rule: "database-backups",
    what: "a production volume without daily snapshots",
    apply: (rs) =>
      changeOrAdd(
        rs,
        (r) => r.type === FLY.volume,
        (r) => withInput(r, ["autoBackup"], false),
        () =>
          resource(
            stackOf(rs),
            FLY.volume,
            "mona-spark-backend-redis-volume-9",
            {
              app: "mona-spark-redis-prod",
              name: "redis_data",
              region: "cdg",
              sizeGb: 1,
              autoBackup: false,
            },
            { parent: app(rs, "mona-spark"), protect: true },
          ),
      ),
  },
  {
    rule: "private-backup-buckets",
    what: "the backups bucket made public",
    apply: (rs) =>
      changeOrAdd(
        rs,
        (r) => r.type === PG.bucket && r.name.includes("backups"),
        (r) => withInput(r, ["public"], true),
        () =>
          resource(
            stackOf(rs),
            PG.bucket,
            "submissions-db-bucket-backups",
            {
              databaseUrl: "[secret]",
              bucketId: "backups",
              public: true,
            },
            { parent: app(rs, "submissions"), protect: true, additionalSecretOutputs: ["databaseUrl"] },
          ),
      ),
  },
  {
    rule: "alert-channels",
    what: "an app's alert webhook removed",
    apply: (rs) => {
      const hook = find(rs, (r) => r.type === GITHUB.webhook && r.name.startsWith("mapquiz-"));
      return { resources: rs.filter((r) => r !== hook), urn: app(rs, "mapquiz").urn, existing: true };
    },
  },
  {
    rule: "monitors-cover-alerts",
    what: "an app's Fly.io alert rules removed (its 5xx and memory thresholds unwatched)",
    apply: (rs) => {
      const group = find(
        rs,
        (r) => r.type === GRAFANA.ruleGroup && r.name === "mapquiz-monitoring-rules-fly",
      );
      return { resources: rs.filter((r) => r !== group), urn: app(rs, "mapquiz").urn, existing: true };
    },
  },
  {
    rule: "synthetic-checks-alert-the-app",
    what: "a check's failure alert routed to the organisation's default contact point",
    apply: (rs) => {
      const group = find(
        rs,
        (r) => r.type === GRAFANA.ruleGroup && r.name === "mapquiz-monitoring-rules-checks",
      );
      // Rule 0 is CheckFailing; the app's violation is reported on the app.
      const rerouted = withInput(
        group,
        ["rules", 0, "notificationSettings", "contactPoint"],
        "grafana-default-email",
      );
      return {
        resources: rs.map((r) => (r === group ? rerouted : r)),
        urn: app(rs, "mapquiz").urn,
        existing: true,
      };
    },
  },
  {
    rule: "synthetic-checks-alert-the-app",
    what: "a public endpoint's synthetic check removed (its API unwatched)",
    apply: (rs) => {
      const check = find(
        rs,
        (r) => r.type === GRAFANA.check && r.name.startsWith("mapquiz-") && !r.name.endsWith("-frontend"),
      );
      return { resources: rs.filter((r) => r !== check), urn: app(rs, "mapquiz").urn, existing: true };
    },
  },
  {
    rule: "backend-health-checks",
    what: "a web machine without health checks",
    apply: (rs) =>
      changeOrAdd(
        rs,
        isHttpMachine,
        (r) => withInput(withInput(r, ["services", 0, "checks"], []), ["checks"], {}),
        () => webMachine(rs, { services: [{ internalPort: 3001, forceHttps: true }] }),
      ),
  },
  {
    rule: "service-key-never-in-frontend",
    what: "a public variable fed a secret",
    apply: (rs) =>
      changeOrAdd(
        rs,
        (r) => r.type === VERCEL.envVars,
        (r) => withInput(r, ["variables", 0, "value"], "[secret]"),
      ),
  },
  {
    rule: "least-privilege-db-roles",
    what: "an application role with SUPERUSER",
    apply: (rs) =>
      changeOrAdd(
        rs,
        (r) => r.type === POSTGRESQL.role,
        (r) => withInput(r, ["superuser"], true),
        () =>
          resource(
            stackOf(rs),
            POSTGRESQL.role,
            "mapquiz-db-runtime",
            {
              name: "mapquiz_runtime",
              login: true,
              superuser: true,
              connectionLimit: 20,
              statementTimeout: 15000,
            },
            { parent: app(rs, "mapquiz") },
          ),
      ),
  },
  {
    rule: "deploy-gating",
    what: "the production environment without reviewers",
    apply: (rs) =>
      changeOrAdd(
        rs,
        (r) => r.type === GITHUB.environment,
        (r) => withInput(r, ["reviewers"], []),
      ),
  },
  {
    rule: "data-protection",
    what: "a production volume no longer protected",
    apply: (rs) =>
      changeOrAdd(
        rs,
        (r) => r.type === FLY.volume,
        (r) => ({ ...r, protect: false }),
        () =>
          resource(
            stackOf(rs),
            FLY.volume,
            "mona-spark-backend-redis-volume-9",
            {
              app: "mona-spark-redis-prod",
              name: "redis_data",
              region: "cdg",
              sizeGb: 1,
            },
            { parent: app(rs, "mona-spark") },
          ),
      ),
  },
  {
    rule: "resource-budgets",
    what: "mapquiz's API machine above its 512 MB budget",
    apply: (rs) =>
      changeOrAdd(
        rs,
        (r) => r.type === FLY.machine && r.name.startsWith("mapquiz-"),
        (r) => withInput(r, ["guest", "memoryMb"], 1024),
        () =>
          resource(
            stackOf(rs),
            FLY.machine,
            "mapquiz-backend-api-machine-9",
            {
              app: "mapquiz-api-prod",
              name: "api-9",
              guest: { cpus: 1, memoryMb: 1024 },
              metadata: { launchpad_service: "api" },
            },
            { parent: app(rs, "mapquiz") },
          ),
      ),
  },
  {
    rule: "supabase-ssl-enforcement",
    what: "a Supabase project's SSL enforcement turned off",
    apply: (rs) =>
      changeOrAdd(
        rs,
        (r) => r.type === SUPABASE.sslEnforcement,
        (r) => withInput(r, ["enforced"], false),
      ),
  },
  {
    rule: "supabase-auth-redirects",
    what: "an auth redirect URL on another site",
    apply: (rs) =>
      changeOrAdd(
        rs,
        (r) => r.type === SUPABASE.authConfig,
        (r) => withInput(r, ["redirectUrls", 0], "https://attacker.example/auth/callback"),
      ),
  },
  {
    rule: "supabase-pitr",
    what: "the project reads without PITR where the catalog requires it",
    apply: (rs) =>
      changeOrAdd(
        rs,
        (r) => r.type === SUPABASE.backups && r.inputs["pitrRequired"] === true,
        (r) => withInput(r, ["pitrEnabled"], false),
      ),
  },
];
