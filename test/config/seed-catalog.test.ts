import { describe, expect, it } from "vitest";
import {
  parsePlatformConfig,
  requiredSecrets,
  validatePlatform,
  type PlatformConfig,
} from "../../infra/config";
import { withSecretStandIns } from "../../tools/engine/secret-stand-ins";
import { realConfig } from "../support/config-fixtures";

function platform(stack: string): PlatformConfig {
  const config = realConfig(stack);
  return parsePlatformConfig(stack, withSecretStandIns(config, validatePlatform(stack, config)));
}

const prod = platform("prod");
const dev = platform("dev");
const qa = platform("qa");

describe("environments (seed 000: dev ← feature/*, qa = staging, prod ← main)", () => {
  it("deploy from their branches", () => {
    expect(dev.environment.branches).toEqual(["feature/*"]);
    expect(qa.environment.branches).toEqual(["qa"]);
    expect(prod.environment.branches).toEqual(["main"]);
  });

  it("keep audit logs 90 days in prod and protect its data", () => {
    expect(prod.environment.logRetentionDays).toBe(90);
    expect(prod.environment.protectData).toBe(true);
    expect(dev.environment.protectData).toBe(false);
    expect(prod.environment.deployReviewers.teams.length).toBeGreaterThan(0);
  });
});

describe("sheet2scene (seed 000)", () => {
  const app = prod.apps["sheet2scene"]!;
  it("is a Next.js frontend with the RunPod key as a server-side secret", () => {
    expect(app.frontend?.framework).toBe("nextjs");
    expect(app.frontend?.secretEnv).toContain("RUNPOD_API_KEY");
  });
  it("keeps audit_logs and qa_reports, purged by a job", () => {
    expect(app.database?.platformTables).toEqual(["audit_logs", "qa_reports"]);
    expect(app.jobs["purge-audit-logs"]?.action).toEqual({
      kind: "purge",
      table: "audit_logs",
      column: "occurred_at",
    });
  });
  it("sends QA alerts to Discord and gives CI its secrets", () => {
    expect(app.alerts.webhookSecret).toBe("DISCORD_WEBHOOK_URL");
    expect(app.ciSecrets).toEqual(
      expect.arrayContaining(["SUPABASE_URL", "RUNPOD_API_KEY", "DISCORD_WEBHOOK_URL"]),
    );
  });
});

describe("workspace-analytics (seed 001)", () => {
  const app = prod.apps["workspace-analytics"]!;
  it("builds the monorepo frontend from apps/web with pnpm", () => {
    expect(app.frontend).toMatchObject({ rootDirectory: "apps/web", buildCommand: "pnpm build" });
  });
  it("limits to 100 requests per minute, at the edge and in the API", () => {
    expect(app.frontend?.rateLimit).toEqual({ requests: 100, windowSeconds: 60 });
    expect(app.services["api"]?.rateLimitPerMinute).toBe(100);
  });
  it("has RLS on workspaces, workspace_datasets, custom_kpis and user_roles", () => {
    expect(Object.keys(app.database?.tables ?? {}).sort()).toEqual([
      "custom_kpis",
      "user_roles",
      "workspace_datasets",
      "workspaces",
    ]);
    expect(app.database?.tables["custom_kpis"]?.rls.model).toBe("tenant");
  });
  it("has daily backups with point-in-time recovery", () => {
    expect(app.database?.backups).toEqual({ daily: true, pointInTimeRecovery: true });
  });
  it("keeps the service key out of the frontend and the GPU model server off by default", () => {
    expect(app.services["api"]?.secrets).toContain("SUPABASE_SERVICE_KEY");
    expect(app.frontend?.secretEnv).not.toContain("SUPABASE_SERVICE_KEY");
    expect(app.services["ollama"]).toMatchObject({ enabled: false, gpu: "a10", public: false });
    // Ready for a stack to enable: in the region where Fly has its GPU.
    expect(app.services["ollama"]?.region).toBe("ord");
  });
});

describe("submissions (seed 002)", () => {
  const app = prod.apps["submissions"]!;
  it("has RLS on soumissions_disponibilites, audit_logs and backup_metadata", () => {
    expect(app.database?.tables["soumissions_disponibilites"]?.rls).toEqual({
      model: "owner",
      column: "user_id",
    });
    expect(app.database?.platformTables).toEqual(["audit_logs", "backup_metadata"]);
  });
  it("keeps a private backups bucket", () => {
    expect(app.buckets["backups"]?.public).toBe(false);
  });
  it("backs up daily at 02:00 and cleans up on Sunday at 03:00", () => {
    expect(app.jobs["daily-backup"]?.schedule).toBe("0 2 * * *");
    expect(app.jobs["weekly-cleanup"]?.schedule).toBe("0 3 * * 0");
  });
  it("alerts on failure rate > 5 %, response > 5 s and queue > 10", () => {
    expect(app.alerts.thresholds).toEqual({ failureRatePercent: 5, responseTimeMs: 5000, queueSize: 10 });
  });
});

describe("mapquiz (seed 003)", () => {
  const api = prod.apps["mapquiz"]!.services["api"]!;
  it("runs on port 3000 in cdg under 512 MB", () => {
    expect(api).toMatchObject({ port: 3000, region: "cdg", memoryMb: 512, maxMemoryMb: 512 });
  });
  it("migrates with Prisma before release and must be healthy within 30 s", () => {
    expect(api.releaseCommand).toBe("npx prisma migrate deploy");
    expect(api.healthCheck).toMatchObject({ path: "/health", gracePeriodSeconds: 30 });
  });
  it("receives its secrets and gets the database URL wired", () => {
    expect(api.secrets).toEqual([
      "BETTER_AUTH_SECRET",
      "GOOGLE_CLIENT_ID",
      "GOOGLE_CLIENT_SECRET",
      "GITHUB_TOKEN",
    ]);
    expect(api.env["DATABASE_URL"]).toEqual({ from: "databaseUrl" });
  });
  it("requires the CI checks and secrets of its pipeline", () => {
    const app = prod.apps["mapquiz"]!;
    expect(app.repository.requiredChecks).toEqual(["test", "coverage", "security-audit", "build", "lint"]);
    expect([...requiredSecrets(app).keys()]).toEqual(
      expect.arrayContaining([
        "FLY_API_TOKEN",
        "TEST_DB_PASSWORD",
        "TEST_AUTH_SECRET",
        "TEST_GOOGLE_CLIENT_ID",
        "TEST_GOOGLE_CLIENT_SECRET",
      ]),
    );
  });
});

describe("mona-spark (seed 004)", () => {
  const app = prod.apps["mona-spark"]!;
  it("serves its API on port 3001 with Redis as a private worker on a volume", () => {
    expect(app.services["api"]?.port).toBe(3001);
    expect(app.services["redis"]).toMatchObject({
      kind: "worker",
      public: false,
      volume: { sizeGb: 1, mountPath: "/data" },
    });
    expect(app.services["api"]?.env["REDIS_URL"]).toEqual({ from: "serviceUrl", service: "redis" });
  });
  it("keeps the JWT, encryption, streaming and SMTP credentials as secrets", () => {
    expect(app.services["api"]?.secrets).toEqual(
      expect.arrayContaining([
        "JWT_SECRET",
        "ENCRYPTION_KEY",
        "TWITCH_CLIENT_SECRET",
        "YOUTUBE_API_KEY",
        "TIKTOK_API_KEY",
        "SMTP_PASS",
      ]),
    );
  });
  it("alerts on 5xx, > 2 s responses, database down and 80 % resources", () => {
    expect(app.alerts.thresholds).toEqual({
      http5xx: true,
      responseTimeMs: 2000,
      databaseDown: true,
      resourceUtilizationPercent: 80,
    });
  });
});
