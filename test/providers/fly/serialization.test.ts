import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runFixture } from "../serialized";

describe("Fly providers after Pulumi closure serialization", () => {
  it("run a full lifecycle from their serialized text under the CommonJS runtime pulumi uses", async () => {
    const stdout = await runFixture(join(__dirname, "fixtures", "serialized-lifecycle.ts"), {
      FLY_API_TOKEN: "",
      FLY_API_BASE_URL: "",
    });
    const summary = JSON.parse(stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({
      adopted: true,
      appsLeft: 0,
      tokenInText: false,
      releaseSaw: "postgresql://migrator@db.example.com/app",
      initCmd: { cmd: ["node", "server.js"] },
    });
    // Errors stay real Errors with their message once revived (the engine prints e.message).
    expect(summary.rollback).toMatch(
      /^FlyDeployError: Fly deploy of machine web-1 .* rolled back to the previous image/,
    );
    expect(summary.notFound).toMatch(/^FlyApiError: .*HTTP 404: app not found$/);
    expect(summary.readIds).toEqual([
      "serialized-api-dev",
      "serialized-api-dev",
      expect.any(String),
      expect.stringMatching(/^vol_/),
      expect.any(String),
      "api.example.com",
    ]);
  });
});
