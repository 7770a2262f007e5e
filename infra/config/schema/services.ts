import { z } from "zod";
import { APP_NAME } from "../../providers/fly/provider-kit";
import { envName, flyRegion, type FLY_REGIONS } from "./common";

export const healthCheckSchema = z
  .object({
    path: z.string().startsWith("/", "expected a path starting with /").default("/health"),
    /** Seconds a new machine has to pass its first check before the deploy rolls back. */
    gracePeriodSeconds: z.number().int().min(1).max(600).default(30),
    intervalSeconds: z.number().int().min(5).max(600).default(15),
    timeoutSeconds: z.number().int().min(1).max(60).default(5),
  })
  .strict();

export const volumeSchema = z
  .object({
    sizeGb: z.number().int().min(1).max(500),
    mountPath: z.string().startsWith("/", "expected an absolute path"),
  })
  .strict();

/** Where a service's image comes from: the app's Dockerfile, or a published image. */
export const imageSourceSchema = z.union([
  z
    .object({ dockerfile: z.string().min(1).default("Dockerfile"), context: z.string().min(1).default(".") })
    .strict(),
  z.object({ image: z.string().min(1) }).strict(),
]);

/**
 * An image reference a machine can pull: `[registry/]repository` with a tag, a digest or both, never
 * an implicit `latest` (what runs must be what the app's CI pushed). Grammar of the distribution
 * reference (distribution/reference, reference.go), lower-case repository path components.
 */
export const IMAGE_REFERENCE =
  /^(?:[a-zA-Z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:[._-]+[a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-]+[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;

export const imageReference = z
  .string()
  .regex(IMAGE_REFERENCE, "expected an image reference, e.g. registry.fly.io/<fly app>@sha256:<digest>")
  .refine((ref) => /@sha256:|:[\w][\w.-]*$/.test(ref.replace(/^[^/]*:\d+\//, "")), {
    message: "expected a tag or a digest (an implicit latest is not what CI pushed)",
  });

/**
 * A value wired by the stack: the database's runtime connection string (a secret, `sslmode=require`)
 * or the private address of another service of the app.
 */
export const serviceEnvValue = z.union([
  z.string(),
  z.object({ from: z.literal("databaseUrl") }).strict(),
  z.object({ from: z.literal("serviceUrl"), service: z.string().min(1) }).strict(),
]);

/** GPU models a service may ask for; the machine gets Fly's size for that GPU (8 performance CPUs, 32 GB). */
export const GPU_MODELS = ["a10", "l40s", "a100-40gb", "a100-80gb"] as const;
export type GpuModel = (typeof GPU_MODELS)[number];

/** Regions where Fly.io offers each GPU model (fly.io/docs/gpus); a GPU service must run in one of them. */
export const FLY_GPU_REGIONS: Readonly<Record<GpuModel, readonly (typeof FLY_REGIONS)[number][]>> = {
  a10: ["ord"],
  l40s: ["ord"],
  "a100-40gb": ["ord"],
  "a100-80gb": ["ams", "iad", "sjc", "syd"],
};

/** A backend process on Fly.io: a public web service or a private worker. */
export const serviceSchema = z
  .object({
    kind: z.enum(["web", "worker"]).default("web"),
    /** Set to false to keep the declaration but not deploy it (optional services such as a GPU model server). */
    enabled: z.boolean().default(true),
    /**
     * An existing Fly app this service takes over instead of creating `<app>-<service>-<stack>`: usually set
     * per stack under `launchpad:overrides` (a production app that predates the stack keeps its name, URL and
     * OAuth settings). The stack reads it first, then converges; it never deletes it.
     */
    flyApp: z
      .string()
      .regex(
        APP_NAME,
        "expected a Fly app name: 3-63 lowercase letters, digits or dashes, not starting or ending with a dash",
      )
      .optional(),
    build: imageSourceSchema.default({ dockerfile: "Dockerfile", context: "." }),
    /**
     * A prebuilt image the app's own CI pushed, run instead of building `build`: no checkout of the
     * app and no Docker where `pulumi up` runs. Usually set per stack, under
     * `launchpad:overrides.<app>.services.<name>.image`.
     */
    image: imageReference.optional(),
    /** Port the process listens on; required for web services. */
    port: z.number().int().min(1).max(65535).optional(),
    /** Reachable from the internet (public IPs, TLS); workers are private by default. */
    public: z.boolean().optional(),
    region: flyRegion.optional(),
    memoryMb: z.number().int().min(256).max(16384).optional(),
    /** Budget the seed document sets; memoryMb above it is an error. */
    maxMemoryMb: z.number().int().min(256).max(16384).optional(),
    cpus: z.number().int().min(1).max(16).optional(),
    gpu: z.enum(GPU_MODELS).optional(),
    replicas: z.number().int().min(0).max(10).optional(),
    healthCheck: healthCheckSchema.optional(),
    /** Command run once in a throwaway machine before new machines start (migrations). */
    releaseCommand: z.string().min(1).optional(),
    /**
     * Command the service starts with, as a list of arguments, replacing the image's CMD (its ENTRYPOINT
     * still runs). Read secrets from the environment at run time (`[sh, -c, '… "$NAME" …']`): the machine
     * config is not secret, so never write a value here.
     */
    command: z.array(z.string().min(1)).min(1).optional(),
    /**
     * One of `secrets` the service requires clients to present (Redis' `requirepass`): an address wired to
     * it with `{ from: serviceUrl }` carries it (`redis://:<password>@…`) and reaches clients as a Fly secret.
     */
    passwordSecret: envName.optional(),
    /** Plain variables, or values the stack wires from another part of the app. */
    env: z.record(envName, serviceEnvValue).default({}),
    /** Names of the stack secrets this service receives. */
    secrets: z.array(envName).default([]),
    volume: volumeSchema.optional(),
    /** Requests per minute per client the service enforces itself. */
    rateLimitPerMinute: z.number().int().min(1).max(100_000).optional(),
  })
  .strict();

export type ServiceSpec = z.infer<typeof serviceSchema>;
export type HealthCheckSpec = z.infer<typeof healthCheckSchema>;
