import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SPEC_PATH } from "../../fakes/supabase-management";
import { REF, useFakeManagement } from "./harness";

/** A raw call to the fake, bypassing the client, as a buggy or hostile client would make it. */
async function call(url: string, token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(url + path, {
    method,
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as { message?: string } & Record<string, unknown> };
}

describe("the fake Management API follows the published spec", () => {
  const fake = useFakeManagement();

  it("is the vendored document, byte for byte", () => {
    const digest = createHash("sha256").update(readFileSync(SPEC_PATH)).digest("hex");
    expect(digest).toBe("f68dc5692c1b1923299e25241847724d277d759b2b4bba1ea7fd27754a45e7c3");
  });

  it("refuses a body the spec does not allow, naming the field", async () => {
    const { api } = fake();
    const typo = await call(api.url, api.token, "PATCH", `/v1/projects/${REF}/config/auth`, {
      site_uri: "https://x",
    });
    expect(typo.status).toBe(400);
    expect(typo.body.message).toMatch(/site_uri/);
    const wrongType = await call(api.url, api.token, "PUT", `/v1/projects/${REF}/ssl-enforcement`, {
      requestedConfig: { database: "yes" },
    });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.message).toMatch(/requestedConfig\/database: must be boolean/);
    const tooMany = await call(api.url, api.token, "PATCH", `/v1/projects/${REF}/postgrest`, {
      max_rows: 2_000_000,
    });
    expect(tooMany.status).toBe(400);
    const commaInSite = await call(api.url, api.token, "PATCH", `/v1/projects/${REF}/config/auth`, {
      site_url: "https://a.example,https://b.example",
    });
    expect(commaInSite.status).toBe(400);
  });

  it("refuses a project ref that is not 20 lowercase letters, and a missing token", async () => {
    const { api } = fake();
    expect((await call(api.url, api.token, "GET", "/v1/projects/sheet2scene-dev/config/auth")).status).toBe(
      400,
    );
    expect((await call(api.url, "wrong", "GET", `/v1/projects/${REF}/config/auth`)).status).toBe(401);
    expect(
      (await call(api.url, api.token, "GET", "/v1/projects/abcdefghijklmnopqrst/config/auth")).status,
    ).toBe(404);
  });

  it("answers every implemented read in the shape the spec documents", async () => {
    const { api } = fake();
    for (const path of [
      "config/auth",
      "ssl-enforcement",
      "network-restrictions",
      "postgrest",
      "database/backups",
    ]) {
      expect((await call(api.url, api.token, "GET", `/v1/projects/${REF}/${path}`)).status).toBe(200);
    }
    // The harness also checks, after each test, that no answer of the fake broke the spec.
    expect(api.responseProblems).toEqual([]);
  });
});
