import { describe, expect, it } from "vitest";
import { PG, POSTGRESQL } from "../../../policies/rules/lib/types";
import { expectCompliant, expectViolation, resource, violationsOf, withInput } from "../support";

const RULE = "least-privilege-db-roles";
const S = "prod";

const runtime = resource(S, POSTGRESQL.role, "mapquiz-db-runtime", {
  name: "mapquiz_runtime",
  login: true,
  password: "[secret]",
  superuser: false,
  createRole: false,
  createDatabase: false,
  bypassRowLevelSecurity: false,
  connectionLimit: 20,
  statementTimeout: 15000,
});
const migrator = resource(S, POSTGRESQL.role, "mapquiz-db-migrator", {
  name: "mapquiz_migrator",
  login: true,
  connectionLimit: 5,
  statementTimeout: 600000,
});
const provider = resource(S, POSTGRESQL.provider, "mapquiz-db-postgresql", {
  host: "db.example.com",
  sslmode: "require",
  superuser: false,
});
const cron = resource(S, PG.cronJob, "mapquiz-db-job-purge-audit-logs", {
  databaseUrl: "postgresql://launchpad:pw@db.example.com:5432/postgres?sslmode=verify-full",
  jobName: "purge-audit-logs",
  schedule: "30 3 * * *",
  command: "delete from audit_logs where occurred_at < now() - interval '90 days'",
});

const grant = resource(S, POSTGRESQL.grant, "mapquiz-database-runtime-tables", {
  database: "[secret]",
  objectType: "table",
  privileges: ["SELECT", "INSERT", "UPDATE", "DELETE"],
  role: "mapquiz_prod_runtime",
  schema: "public",
});
const defaults = resource(S, POSTGRESQL.defaultPrivileges, "mapquiz-database-runtime-default-tables", {
  database: "[secret]",
  objectType: "table",
  owner: "mapquiz_prod_migrator",
  privileges: ["SELECT", "INSERT", "UPDATE", "DELETE"],
  role: "mapquiz_prod_runtime",
  schema: "public",
});
const schemaGrant = resource(S, POSTGRESQL.grant, "mapquiz-database-authenticated-schema", {
  database: "[secret]",
  objectType: "schema",
  privileges: ["USAGE"],
  role: "authenticated",
  schema: "public",
});

describe(RULE, () => {
  it("passes bounded login roles, a TLS provider without superuser and TLS connection strings", async () => {
    await expectCompliant(RULE, [runtime, migrator, provider, cron]);
  });

  it.each([
    ["superuser", "SUPERUSER"],
    ["createRole", "CREATEROLE"],
    ["createDatabase", "CREATEDB"],
    ["replication", "REPLICATION"],
    ["bypassRowLevelSecurity", "BYPASSRLS"],
  ])("reports a role with %s", async (field, power) => {
    const bad = withInput(runtime, [field], true);
    await expectViolation(RULE, [bad], bad.urn, new RegExp(`role mapquiz_runtime has ${power}`));
  });

  it("lets the configured service role bypass RLS", async () => {
    const service = withInput(withInput(runtime, ["name"], "service_role"), ["bypassRowLevelSecurity"], true);
    expect(await violationsOf(RULE, S, [service])).toEqual([]);
  });

  it("reports login roles without connection limit or statement timeout", async () => {
    const unlimited = withInput(runtime, ["connectionLimit"], -1);
    const untimed = withInput(runtime, ["statementTimeout"], undefined);
    await expectViolation(RULE, [unlimited], unlimited.urn, /has no connection limit/);
    await expectViolation(RULE, [untimed], untimed.urn, /has no statement timeout/);
  });

  it("reads provider inputs the way providers receive them, as strings", async () => {
    await expectCompliant(RULE, [withInput(provider, ["superuser"], "false")]);
    const bad = withInput(provider, ["superuser"], "true");
    await expectViolation(RULE, [bad], bad.urn, /does not set superuser: false/);
  });

  it("reports a provider without TLS or assuming a superuser", async () => {
    const plain = withInput(provider, ["sslmode"], "disable");
    const superuser = withInput(provider, ["superuser"], undefined);
    await expectViolation(RULE, [plain], plain.urn, /sslmode is disable/);
    await expectViolation(RULE, [superuser], superuser.urn, /does not set superuser: false/);
  });

  it("passes row-level grants and default privileges", async () => {
    await expectCompliant(RULE, [grant, defaults, schemaGrant]);
  });

  it("reports grants to PUBLIC, of ALL, of table-level powers, or with grant option", async () => {
    await expectViolation(
      RULE,
      [withInput(grant, ["role"], "PUBLIC")],
      grant.urn,
      /table privileges are granted to PUBLIC/,
    );
    await expectViolation(
      RULE,
      [withInput(defaults, ["privileges"], ["ALL"])],
      defaults.urn,
      /ALL table privileges/,
    );
    await expectViolation(
      RULE,
      [withInput(grant, ["privileges"], ["SELECT", "TRUNCATE", "TRIGGER"])],
      grant.urn,
      /mapquiz_prod_runtime is granted TRUNCATE, TRIGGER on tables/,
    );
    await expectViolation(
      RULE,
      [withInput(grant, ["withGrantOption"], true)],
      grant.urn,
      /WITH GRANT OPTION/,
    );
  });

  it("reports an API role allowed to create objects in a schema", async () => {
    const bad = withInput(schemaGrant, ["privileges"], ["CREATE", "USAGE"]);
    await expectViolation(RULE, [bad], bad.urn, /API role authenticated may create objects/);
  });

  it("reports a connection string that does not require TLS", async () => {
    const bad = withInput(cron, ["databaseUrl"], "postgresql://launchpad:pw@db.example.com:5432/postgres");
    await expectViolation(RULE, [bad], bad.urn, /databaseUrl does not require TLS \(sslmode=unset\)/);
  });
  it("accepts grants that take from PUBLIC (CONNECT alone on the database, nothing on future functions), not ones that give", async () => {
    const connectOnly = withInput(
      withInput(withInput(schemaGrant, ["role"], "public"), ["objectType"], "database"),
      ["privileges"],
      ["CONNECT"],
    );
    const noFunctions = withInput(
      withInput(withInput(defaults, ["role"], "public"), ["objectType"], "function"),
      ["privileges"],
      [],
    );
    expect(await violationsOf(RULE, S, [connectOnly, noFunctions])).toEqual([]);
    const temporary = withInput(connectOnly, ["privileges"], ["CONNECT", "TEMPORARY"]);
    await expectViolation(RULE, [temporary], temporary.urn, /database privileges are granted to PUBLIC/);
    const execute = withInput(noFunctions, ["privileges"], ["EXECUTE"]);
    await expectViolation(RULE, [execute], execute.urn, /function privileges are granted to PUBLIC/);
  });
});
