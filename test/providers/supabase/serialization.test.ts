import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runFixture } from "../serialized";

describe("Supabase providers after Pulumi closure serialization", () => {
  it("run a full lifecycle from their serialized text under the CommonJS runtime pulumi uses", async () => {
    const stdout = await runFixture(join(__dirname, "fixtures", "serialized-lifecycle.ts"), {
      SUPABASE_ACCESS_TOKEN: "",
      SUPABASE_API_BASE_URL: "",
    });
    const summary = JSON.parse(stdout.trim().split("\n").at(-1)!) as Record<string, unknown>;
    expect(summary).toMatchObject({
      applied: {
        site: "https://app.example.com",
        ssl: true,
        network: { dbAllowedCidrs: ["203.0.113.0/24"], dbAllowedCidrsV6: [] },
        schema: "public",
      },
      drifted: ["public", "private"],
      pitrEnabled: false,
      tokenInText: false,
    });
    // Errors stay real Errors with their message once revived (the engine prints e.message).
    expect(summary.missing).toMatch(/^SupabaseApiError: .*HTTP 404: Project not found$/);
  });
});
