/**
 * The membership model on a real server: its policies and admin helper as applied by the
 * TableRowLevelSecurity provider, the moves they refuse, and the helper's drift found and repaired.
 */
import { beforeAll, describe, expect, it } from "vitest";
import {
  tableRlsDifferences,
  tableRlsProvider,
  watchChanges,
  type TableRlsInputs,
  type TableRlsOutputs,
} from "../../../infra/providers/postgres";
import { admin, asRole, errorOf, TENANT_A, TENANT_B, USER_A, USER_B, useServer } from "./helpers";

const USER_C = "00000000-0000-4000-8000-00000000000c";

const db = useServer();
let inputs: TableRlsInputs;
let outputs: TableRlsOutputs;

beforeAll(async () => {
  await admin(db.url, "UPDATE public.user_roles SET role = 'admin' WHERE user_id = $1", [USER_A]);
  inputs = {
    databaseUrl: db.url,
    table: "user_roles",
    rls: {
      model: "membership",
      userColumn: "user_id",
      tenantColumn: "workspace_id",
      tenantType: "uuid",
      roleColumn: "role",
      adminRoles: ["admin"],
    },
  };
  outputs = (await tableRlsProvider.create(inputs)).outs!;
}, 60_000);
const insert = "INSERT INTO public.user_roles (user_id, workspace_id, role) VALUES ($1, $2, $3)";

describe("the membership model", () => {
  it("lets a member read its own memberships only, and an admin add members to its own tenant only", async () => {
    const seen = await asRole(db.url, "authenticated", USER_A, async (q) => ({
      own: await q("SELECT count(*)::int AS n FROM public.user_roles"),
      addToOwn: await errorOf(q(insert, [USER_C, TENANT_A, "member"])),
      addToOther: await errorOf(q(insert, [USER_C, TENANT_B, "member"])),
      selfToOther: await errorOf(q(insert, [USER_A, TENANT_B, "admin"])),
      move: await q("UPDATE public.user_roles SET workspace_id = $1 WHERE user_id = $2 RETURNING 1", [
        TENANT_B,
        USER_A,
      ]),
      removeOthers: await q("DELETE FROM public.user_roles WHERE workspace_id = $1 RETURNING 1", [TENANT_B]),
    }));
    expect(seen.own).toEqual([{ n: 1 }]);
    expect(seen.addToOwn).toBeUndefined();
    expect(seen.addToOther).toMatch(/row-level security/);
    expect(seen.selfToOther).toMatch(/row-level security/);
    expect(seen.move).toEqual([]);
    expect(seen.removeOthers).toEqual([]);
  });

  it("gives a member without an admin role no way to add anyone, itself included, nor to raise its role", async () => {
    const seen = await asRole(db.url, "authenticated", USER_B, async (q) => ({
      self: await errorOf(q(insert, [USER_B, TENANT_A, "admin"])),
      other: await errorOf(q(insert, [USER_C, TENANT_B, "member"])),
      raise: await q("UPDATE public.user_roles SET role = 'admin' WHERE user_id = $1 RETURNING 1", [USER_B]),
    }));
    expect(seen.self).toMatch(/row-level security/);
    expect(seen.other).toMatch(/row-level security/);
    expect(seen.raise).toEqual([]);
  });

  it("keeps the helper an invoker with a pinned search_path, executable by authenticated alone", async () => {
    const [fn] = await admin<{ definer: boolean; config: string[]; acl: string }>(
      db.url,
      `SELECT prosecdef AS definer, proconfig AS config, proacl::text AS acl FROM pg_proc WHERE proname = 'user_roles_admin_of'`,
    );
    expect(fn).toMatchObject({ definer: false, config: ['search_path=""'] });
    expect(fn!.acl).toMatch(/authenticated=X/);
    expect(fn!.acl).not.toMatch(/[{,]=X/);
  });

  it("finds a helper opened to PUBLIC or rewritten, and its update repairs it", async () => {
    await admin(db.url, "GRANT EXECUTE ON FUNCTION public.user_roles_admin_of(uuid) TO PUBLIC");
    const read = await tableRlsProvider.read!("public.user_roles", outputs);
    expect(tableRlsDifferences(read.props as TableRlsOutputs, inputs)).toEqual([
      "public.user_roles: membership helper user_roles_admin_of() is missing, modified or executable by other roles",
    ]);
    const repaired = await tableRlsProvider.update!(
      "public.user_roles",
      read.props as TableRlsOutputs,
      inputs,
    );
    outputs = repaired.outs!;
    const watch = watchChanges();
    try {
      await tableRlsProvider.update!("public.user_roles", outputs, inputs);
    } finally {
      watch.stop();
    }
    expect(watch.statements).toEqual([]);
    expect((await tableRlsProvider.diff!("public.user_roles", outputs, inputs)).changes).toBe(false);
  });

  it("removes its policies and its helper on delete", async () => {
    await tableRlsProvider.delete!("public.user_roles", outputs);
    const left = await admin(
      db.url,
      `SELECT (SELECT count(*)::int FROM pg_policies WHERE tablename = 'user_roles') AS policies,
              (SELECT count(*)::int FROM pg_proc WHERE proname = 'user_roles_admin_of') AS helpers`,
    );
    expect(left).toEqual([{ policies: 0, helpers: 0 }]);
  });
});
