import { describe, expect, it } from "vitest";
import { flyAppProvider, flyMachineProvider, flySecretsProvider } from "../../../infra/providers/fly";
import type { FakeMachine } from "../../fakes/fly-api";
import { APP, IMAGE_V2, machineInputs } from "./mapquiz-inputs";
import { ORG, useFakeFly } from "./harness";

const RUNTIME_URL =
  "postgresql://mapquiz_runtime:runtime-pw-4f9c@db.example.com:5432/mapquiz?sslmode=require";
const MIGRATOR_URL =
  "postgresql://mapquiz_migrator:migrator-pw-7b21@db.example.com:5432/mapquiz?sslmode=require";
const MIGRATE = "npx prisma migrate deploy";

describe("FlyMachine release variables", () => {
  const fake = useFakeFly();

  async function withApp(): Promise<number> {
    await flyAppProvider.create({ name: APP, org: ORG });
    const secrets = await flySecretsProvider.create({
      app: APP,
      values: { DATABASE_URL: RUNTIME_URL, BETTER_AUTH_SECRET: "a".repeat(64) },
    });
    return secrets.outs!.version;
  }

  const inputs = (version: number, migratorUrl = MIGRATOR_URL) =>
    machineInputs({
      minSecretsVersion: version,
      releaseCommand: MIGRATE,
      releaseEnv: { DATABASE_URL: migratorUrl },
    });

  const all = (): FakeMachine[] => [...fake().store.apps.get(APP)!.machines.values()];
  const releaseMachines = () => all().filter((m) => m.config.auto_destroy === true);

  it("gives the release machine the migrator URL, and the serving machine only the runtime URL", async () => {
    const created = await flyMachineProvider.create(inputs(await withApp()));

    const [release] = releaseMachines();
    expect(release!.bootEnv).toMatchObject({
      DATABASE_URL: MIGRATOR_URL,
      BETTER_AUTH_SECRET: "a".repeat(64),
      RELEASE_COMMAND: "1",
    });
    // The runtime URL stays an app secret; the release process does not receive it.
    expect(release!.config.processes).toEqual([
      { ignore_app_secrets: true, secrets: [{ env_var: "BETTER_AUTH_SECRET" }] },
    ]);

    const serving = fake().store.apps.get(APP)!.machines.get(created.id)!;
    expect(serving.bootEnv!["DATABASE_URL"]).toBe(RUNTIME_URL);
    expect(JSON.stringify(serving.config)).not.toContain(MIGRATOR_URL);
    const servingCalls = fake().requests.filter(
      (r) =>
        r.operationId === "Machines_create" &&
        !(r.body as { config: { auto_destroy?: boolean } }).config.auto_destroy,
    );
    expect(JSON.stringify(servingCalls)).not.toContain("migrator");
  });

  it("keeps the values out of outputs and reads, compares them by digest, and runs each release with them", async () => {
    const version = await withApp();
    const created = await flyMachineProvider.create(inputs(version));
    expect(created.outs).not.toHaveProperty("releaseEnv");
    expect(created.outs!.releaseEnvDigests["DATABASE_URL"]).toMatch(/^sha256:[0-9a-f]{64}$/);

    const read = await flyMachineProvider.read!(created.id, created.outs);
    expect(JSON.stringify([created, read])).not.toContain("migrator-pw");
    expect(await flyMachineProvider.diff!(created.id, read.props!, inputs(version))).toMatchObject({
      changes: false,
    });
    const rotated = inputs(version, MIGRATOR_URL.replace("migrator-pw-7b21", "migrator-pw-new1"));
    expect(await flyMachineProvider.diff!(created.id, read.props!, rotated)).toMatchObject({
      changes: true,
      replaces: [],
    });

    // A rotated password alone changes no machine: the next release uses it.
    const from = fake().mutations().length;
    const noop = await flyMachineProvider.update!(created.id, read.props!, rotated);
    expect(fake().mutations().length).toBe(from);
    expect(noop.outs!.releaseEnvDigests["DATABASE_URL"]).not.toBe(
      created.outs!.releaseEnvDigests["DATABASE_URL"],
    );

    const updated = await flyMachineProvider.update!(created.id, noop.outs!, { ...rotated, image: IMAGE_V2 });
    expect(releaseMachines().map((m) => m.bootEnv!["DATABASE_URL"])).toEqual([
      MIGRATOR_URL,
      rotated.releaseEnv!["DATABASE_URL"],
    ]);
    expect(JSON.stringify(updated)).not.toContain("migrator-pw");
  });

  it("never puts a value in an error, even when the API echoes it", async () => {
    const version = await withApp();
    const created = await flyMachineProvider.create(inputs(version));
    const errors: string[] = [];
    const attempt = (p: Promise<unknown>) =>
      p.then(
        () => errors.push("(no error)"),
        (e: unknown) => errors.push(e instanceof Error ? `${e.message}\n${e.stack ?? ""}` : String(e)),
      );

    fake().faults.releaseExitCode = 1;
    await attempt(
      flyMachineProvider.update!(created.id, created.outs!, { ...inputs(version), image: IMAGE_V2 }),
    );
    fake().faults.releaseExitCode = 0;
    fake().faults.failures.push({
      method: "POST",
      path: `/v1/apps/${APP}/machines`,
      status: 422,
      message: `invalid config.env: DATABASE_URL=${MIGRATOR_URL}`,
    });
    await attempt(
      flyMachineProvider.update!(created.id, created.outs!, { ...inputs(version), image: IMAGE_V2 }),
    );

    expect(errors[0]).toMatch(/`npx prisma migrate deploy` exited with code 1/);
    expect(errors[1]).toContain("HTTP 422: invalid config.env: DATABASE_URL=[redacted]");
    expect(errors.join("\n")).not.toContain("migrator-pw");
  });

  it("refuses release variables without a release command, naming the variable but not its value", async () => {
    const news = machineInputs({ releaseEnv: { DATABASE_URL: MIGRATOR_URL, "BAD-NAME": "x" } });
    const { failures } = await flyMachineProvider.check!({} as never, news);
    expect(failures).toEqual([
      { property: "releaseEnv.BAD-NAME", reason: "a variable name with a string value" },
      { property: "releaseEnv", reason: "only used by a releaseCommand, which is not set" },
    ]);
    expect(JSON.stringify(failures)).not.toContain("migrator");
  });
});
