import { describe, expect, it } from "vitest";
import { type FlyApiError, flyClient, isFlyApiError, readSettings } from "../../../infra/providers/fly";
import { unwrapLease } from "../../../infra/providers/fly/api/leases";
import { parseRetryAfter, retryDelayMs } from "../../../infra/providers/http/retry";
import { APP } from "./mapquiz-inputs";
import { ORG, useFakeFly } from "./harness";

describe("Fly client: settings and retry policy", () => {
  it("reads the base URL and pacing from the environment, with production defaults", () => {
    expect(readSettings({})).toEqual({
      baseUrl: "https://api.machines.dev",
      maxRetries: 5,
      retryBaseMs: 500,
      retryMaxMs: 30_000,
      timeoutMs: 60_000,
      pollIntervalMs: 1_000,
    });
    expect(readSettings({ FLY_API_BASE_URL: "http://x:1/", FLY_API_MAX_RETRIES: "2" })).toMatchObject({
      baseUrl: "http://x:1",
      maxRetries: 2,
    });
    expect(() => readSettings({ FLY_API_MAX_RETRIES: "-1" })).toThrow(/FLY_API_MAX_RETRIES/);
  });

  it("honours Retry-After in seconds or as a date, bounded by the maximum delay", () => {
    const now = Date.UTC(2026, 0, 1);
    expect(parseRetryAfter("2")).toBe(2000);
    expect(parseRetryAfter(new Date(now + 5000).toUTCString(), now)).toBe(5000);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter("soon")).toBeUndefined();
    expect(retryDelayMs(0, 2000, { retryBaseMs: 500, retryMaxMs: 30_000 })).toBe(2000);
    expect(retryDelayMs(0, 120_000, { retryBaseMs: 500, retryMaxMs: 30_000 })).toBe(30_000);
  });

  it("backs off exponentially with jitter, bounded", () => {
    const s = { retryBaseMs: 500, retryMaxMs: 4000 };
    expect(retryDelayMs(0, undefined, s, () => 0)).toBe(250);
    expect(retryDelayMs(0, undefined, s, () => 1)).toBe(500);
    expect(retryDelayMs(2, undefined, s, () => 1)).toBe(2000);
    expect(retryDelayMs(10, undefined, s, () => 1)).toBe(4000);
  });

  it("accepts leases both flat (spec) and wrapped in {status, data} (live API)", () => {
    expect(unwrapLease({ nonce: "n1", expires_at: 1 })?.nonce).toBe("n1");
    expect(unwrapLease({ status: "success", data: { nonce: "n2" } })?.nonce).toBe("n2");
    expect(unwrapLease("nope")).toBeUndefined();
  });
});

describe("Fly client against the fake", () => {
  const fake = useFakeFly();

  it("reads the token at call time and fails clearly without one", async () => {
    delete process.env.FLY_API_TOKEN;
    await expect(flyClient.apps.get(APP)).rejects.toThrow("FLY_API_TOKEN is not set");
    expect(fake().requests).toHaveLength(0);
  });

  it("retries 429 with and without Retry-After, for non-idempotent calls too", async () => {
    fake().faults.failures.push({ path: "/v1/apps", method: "POST", status: 429, retryAfter: "0" });
    fake().faults.failures.push({ path: "/v1/apps", method: "POST", status: 429 });
    await flyClient.apps.create({ name: APP, org_slug: ORG });
    expect(fake().requests.map((r) => r.status)).toEqual([429, 429, 201]);
  });

  it("retries 502/503 for idempotent calls only", async () => {
    fake().store.addApp(APP, ORG);
    fake().faults.failures.push(
      { path: `/v1/apps/${APP}`, status: 502 },
      { path: `/v1/apps/${APP}`, status: 503 },
    );
    expect((await flyClient.apps.get(APP))?.name).toBe(APP);
    expect(fake().requests.map((r) => r.status)).toEqual([502, 503, 200]);

    fake().faults.failures.push({ path: `/v1/apps/${APP}/volumes`, method: "POST", status: 503 });
    await expect(flyClient.volumes.create(APP, { name: "data", region: "cdg", size_gb: 1 })).rejects.toThrow(
      /POST \/v1\/apps\/mapquiz-api-dev\/volumes for volume data of app mapquiz-api-dev failed with HTTP 503/,
    );
    expect(fake().store.apps.get(APP)!.volumes.size).toBe(0);
  });

  it("gives up after the configured number of retries, with Fly's error text", async () => {
    fake().faults.failures.push({ path: `/v1/apps/${APP}`, status: 503, times: 10 });
    const error = (await flyClient.apps.get(APP).catch((e: unknown) => e)) as FlyApiError;
    expect(error).toBeInstanceOf(Error);
    expect(isFlyApiError(error, 503)).toBe(true);
    expect(error.status).toBe(503);
    expect(error.message).toBe(
      `Fly API GET /v1/apps/${APP} for app ${APP} failed with HTTP 503: upstream unavailable`,
    );
    expect(fake().requests).toHaveLength(5);
  });

  it("times out a slow response and retries an idempotent read", async () => {
    process.env.FLY_API_TIMEOUT_MS = "100";
    fake().store.addApp(APP, ORG);
    fake().faults.failures.push({ path: `/v1/apps/${APP}`, delayMs: 400 });
    expect((await flyClient.apps.get(APP))?.name).toBe(APP);
    expect(fake().requests).toHaveLength(2);
  });

  it("treats 404 on delete as done, and returns undefined for a missing resource", async () => {
    await expect(flyClient.apps.delete("never-existed")).resolves.toBeUndefined();
    expect(await flyClient.apps.get("never-existed")).toBeUndefined();
    expect(fake().requests.map((r) => r.status)).toEqual([404, 404]);
  });

  it("acquires and releases leases in both response shapes", async () => {
    fake().store.addApp(APP, ORG);
    const m = await flyClient.machines.create(
      APP,
      { region: "cdg", config: { image: "nginx" } },
      "machine x",
    );
    for (const shape of ["wrapped", "flat"] as const) {
      fake().faults.leaseShape = shape;
      const nonce = await flyClient.leases.acquire(APP, m.id, 30, "test");
      expect(fake().store.apps.get(APP)!.machines.get(m.id)!.lease?.nonce).toBe(nonce);
      await flyClient.leases.release(APP, m.id, nonce);
      expect(fake().store.apps.get(APP)!.machines.get(m.id)!.lease).toBeUndefined();
    }
  });

  it("reports wait timeouts (408) as not reached", async () => {
    fake().store.addApp(APP, ORG);
    const m = await flyClient.machines.create(
      APP,
      { region: "cdg", config: { image: "nginx" } },
      "machine x",
    );
    expect(await flyClient.machines.wait(APP, m.id, "stopped", { timeoutSeconds: 3 })).toBe(false);
    expect(fake().requests.at(-1)?.status).toBe(408);
    expect(await flyClient.machines.wait(APP, m.id, "started", { timeoutSeconds: 3 })).toBe(true);
  });
});
