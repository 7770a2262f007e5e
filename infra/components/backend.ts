import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import {
  FLY_TOKEN_SECRET,
  resolveService,
  type AppSpec,
  type EnvironmentProfile,
  type ResolvedServiceSpec,
  type SecretValues,
} from "../config";
import { flyAppName, serviceHostname, siteUrl } from "../naming";
import {
  FlyApp,
  FlyCertificate,
  FlyIpAssignment,
  FlyMachine,
  FlyMachineHandover,
  FlySecrets,
  FlyVolume,
} from "../providers/fly";
import { APP_NAME } from "../providers/fly/provider-kit";
import { corsAllowList } from "./cors";
import {
  databaseUrlNames,
  FLY_REGISTRY,
  guestFor,
  IMAGE_PLATFORM,
  imageSource,
  machineNetworking,
  metricsScrape,
  passwordUrlNames,
  plainEnv,
  primaryService,
  privateUrl,
  registryImageName,
  volumeName,
  withPassword,
} from "./fly-machine-config";

export interface BackendArgs {
  /** The app's name in the catalog; Fly app names carry it with the service and the environment. */
  app: string;
  /** The app's declaration: services, domain, CORS allow-list, repository. */
  spec: AppSpec;
  /** The stack's environment profile: Fly org, sizes, domains, data protection. */
  environment: EnvironmentProfile;
  /** The stack's secret values; each service receives the names in its `secrets`, and image pushes use `FLY_API_TOKEN`. */
  secrets: SecretValues;
  /**
   * Runtime connection string of the app's database (the Database component's `runtimeUrl`, a secret
   * with `sslmode=require`). Variables wired `{ from: databaseUrl }` receive it as Fly secrets.
   */
  databaseUrl?: pulumi.Input<string>;
  /**
   * Connection string of the database's migrator role (the Database component's `migratorUrl`, a secret),
   * which owns the schema. Only the release command gets it, in the variables the runtime URL is wired to
   * (`DATABASE_URL`): migrations need DDL rights the runtime role does not have.
   */
  migratorUrl?: pulumi.Input<string>;
  /**
   * Directory holding a checkout of the app's repository; the catalog's build contexts and
   * Dockerfiles are relative to it. Defaults to a sibling of this project: `../<repository.name>`.
   */
  sourceDir?: string;
  /** Tag of the pushed images (e.g. the commit deployed); defaults to the environment name. Machines run the digest. */
  imageTag?: string;
}

/** A service's Fly app, what runs in it, and where it answers. */
interface DeployedService {
  flyApp: FlyApp;
  machines: FlyMachine[];
  /** Public URL, for public services. */
  url?: pulumi.Output<string>;
}

/**
 * The app's backend on Fly.io in one environment: for every enabled service, its own Fly app
 * (`<app>-<service>-<env>`), its image (built from the app's Dockerfile and pushed to Fly's registry,
 * or a published image as is), its secrets, one machine per replica with checks and the release
 * command, volumes, and — for public services only — shared IPv4 + IPv6 and a certificate for the
 * environment's hostname. Private services are reached on the private network only.
 */
export class Backend extends pulumi.ComponentResource {
  /** Public URL of the service the frontend calls (see `primaryService`), if the app has one. */
  readonly url: pulumi.Output<string> | undefined;
  /** Public URL of each public service. */
  readonly urls: Record<string, pulumi.Output<string>>;
  /** Fly app name of each deployed service. */
  readonly flyApps: Record<string, pulumi.Output<string>>;

  constructor(name: string, args: BackendArgs, opts?: pulumi.ComponentResourceOptions) {
    super("launchpad:fly:Backend", name, {}, opts);
    const { spec, environment } = args;

    const services = Object.fromEntries(
      Object.entries(spec.services)
        .filter(([, service]) => service.enabled)
        .map(([service, declared]) => [service, resolveService(declared, environment)]),
    );
    const deployed: Record<string, DeployedService> = {};
    for (const [service, resolved] of Object.entries(services)) {
      deployed[service] = this.declareService(name, service, resolved, services, args);
    }

    this.urls = Object.fromEntries(
      Object.entries(deployed).flatMap(([service, d]) => (d.url ? [[service, d.url]] : [])),
    );
    const primary = primaryService(services);
    this.url = primary === undefined ? undefined : this.urls[primary];
    this.flyApps = Object.fromEntries(Object.entries(deployed).map(([s, d]) => [s, d.flyApp.name]));
    this.registerOutputs({ url: this.url, urls: this.urls, flyApps: this.flyApps });
  }

  private declareService(
    name: string,
    service: string,
    spec: ResolvedServiceSpec,
    services: Record<string, ResolvedServiceSpec>,
    args: BackendArgs,
  ): DeployedService {
    const { app, environment } = args;
    const at = `apps.${app}.services.${service}`;
    const prefix = `${name}-${service}`;
    const flyName = flyAppName(app, service, environment, spec);
    if (!APP_NAME.test(flyName)) {
      throw new Error(`${at}: Fly app name "${flyName}" is longer than 63 characters; shorten the names`);
    }
    const protect = environment.protectData;
    const parent = { parent: this };

    // Deleting a Fly app deletes its volumes, IPs and certificates with it (an adopted one is never deleted).
    const adopting = spec.flyApp !== undefined;
    const flyApp = new FlyApp(
      `${prefix}-app`,
      { name: flyName, org: environment.flyOrg, ...(adopting ? { adoptExisting: true } : {}) },
      { parent: this, protect },
    );
    const onApp = flyApp.name;

    const image = this.image(prefix, flyApp, spec, args);

    const requiresPassword = (target: string) => services[target]?.passwordSecret !== undefined;
    const addressOf = (target: string) => {
      const targetSpec = services[target];
      if (!targetSpec) {
        throw new Error(`${at}.env: service "${target}" is not enabled in this stack, so it has no address`);
      }
      return privateUrl(flyAppName(app, target, environment, targetSpec), targetSpec);
    };

    const values = this.secretValues(at, spec, args);
    // An address that carries a password is a secret of its own: `redis://:<password>@….internal:6379`.
    for (const [variable, target] of passwordUrlNames(spec, requiresPassword)) {
      const address = addressOf(target);
      const password = args.secrets.get(app, services[target]!.passwordSecret!);
      values[variable] = pulumi.secret(password.apply((p) => withPassword(address, p)));
    }
    const secrets =
      Object.keys(values).length > 0
        ? new FlySecrets(`${prefix}-secrets`, { app: onApp, values }, parent)
        : undefined;

    const env = plainEnv(spec, {
      allowedOrigins: corsAllowList(siteUrl(app, args.spec, environment), args.spec.cors.allowedOrigins),
      privateUrlOf: addressOf,
      requiresPassword,
    });
    const { services: proxied, checks, healthGraceSeconds } = machineNetworking(spec);
    const guest = guestFor(spec);
    const releaseEnv = this.releaseEnv(spec, args);
    const metrics = metricsScrape(args.spec.alerts.metrics, service);

    const machines: FlyMachine[] = [];
    for (let replica = 1; replica <= spec.replicas; replica++) {
      const mounts: Array<{ volume: pulumi.Input<string>; path: string }> = [];
      if (spec.volume) {
        // Fly volumes attach to one machine: each replica has its own, in its region.
        const volume = new FlyVolume(
          `${prefix}-volume-${replica}`,
          {
            app: onApp,
            name: volumeName(service),
            region: spec.region,
            sizeGb: spec.volume.sizeGb,
            // On a host with the machine's GPU: a GPU machine can only mount a volume placed there.
            ...(guest.gpuKind ? { compute: guest } : {}),
          },
          { parent: this, protect, retainOnDelete: protect },
        );
        mounts.push({ volume: volume.volumeId, path: spec.volume.mountPath });
      }
      const first = machines[0];
      machines.push(
        new FlyMachine(
          `${prefix}-machine-${replica}`,
          {
            app: onApp,
            name: `${service}-${replica}`,
            region: spec.region,
            image,
            guest,
            env,
            services: proxied,
            checks,
            mounts,
            metadata: { launchpad_app: app, launchpad_service: service, launchpad_env: environment.name },
            healthGraceSeconds,
            ...(spec.command ? { init: { cmd: spec.command } } : {}),
            ...(metrics ? { metrics } : {}),
            ...(secrets ? { minSecretsVersion: secrets.version } : {}),
            // Migrations run once per deploy, before the first machine changes; the others follow it.
            ...(replica === 1 && spec.releaseCommand
              ? { releaseCommand: spec.releaseCommand, ...(releaseEnv ? { releaseEnv } : {}) }
              : {}),
          },
          { parent: this, ...(first ? { dependsOn: [first] } : {}) },
        ),
      );
    }

    if (adopting && machines.length > 0) {
      // The machines that served the adopted app stop only once the stack's own pass their checks.
      new FlyMachineHandover(
        `${prefix}-handover`,
        { app: onApp, machineIds: machines.map((m) => m.machineId) },
        { parent: this, dependsOn: machines },
      );
    }

    if (!spec.public) return { flyApp, machines };
    for (const type of ["shared_v4", "v6"] as const) {
      new FlyIpAssignment(`${prefix}-ip-${type.replace("shared_", "")}`, { app: onApp, type }, parent);
    }
    const hostname = serviceHostname(app, service, args.spec, environment);
    new FlyCertificate(`${prefix}-certificate`, { app: onApp, hostname }, parent);
    return { flyApp, machines, url: pulumi.output(`https://${hostname}`) };
  }

  /**
   * The image a service's machines run: a prebuilt or published image as written, or the app's Dockerfile built
   * for Fly's platform and pushed to the service's repository on Fly's registry, run by digest so a
   * machine changes exactly when the image does.
   */
  private image(
    prefix: string,
    flyApp: FlyApp,
    spec: ResolvedServiceSpec,
    args: BackendArgs,
  ): pulumi.Input<string> {
    const source = imageSource(spec, args.sourceDir ?? `../${args.spec.repository.name}`);
    if (source.kind === "published") return source.image;
    const built = new docker.Image(
      `${prefix}-image`,
      {
        // From the app's name output, so the push waits for the app (and its registry repository).
        imageName: flyApp.name.apply((n) => registryImageName(n, args.imageTag ?? args.environment.name)),
        build: { context: source.context, dockerfile: source.dockerfile, platform: IMAGE_PLATFORM },
        // Fly's registry takes any user name with a Fly token as the password.
        registry: {
          server: FLY_REGISTRY,
          username: "x",
          password: args.secrets.get(args.app, FLY_TOKEN_SECRET),
        },
      },
      { parent: this },
    );
    return built.repoDigest;
  }

  /**
   * The release command's own variables: the migrator's connection string in each variable the service reads
   * its database URL from, so migrations run with the role that owns the schema. Only for a service with a
   * release command that is wired to the app's database.
   */
  private releaseEnv(
    spec: ResolvedServiceSpec,
    args: BackendArgs,
  ): Record<string, pulumi.Input<string>> | undefined {
    const names = databaseUrlNames(spec);
    if (!spec.releaseCommand || names.length === 0 || args.migratorUrl === undefined) return undefined;
    const migratorUrl = pulumi.secret(args.migratorUrl);
    return Object.fromEntries(names.map((name) => [name, migratorUrl]));
  }

  /** Secret values of a service: its catalog secrets, and the database URL where it is wired. */
  private secretValues(
    at: string,
    spec: ResolvedServiceSpec,
    args: BackendArgs,
  ): Record<string, pulumi.Input<string>> {
    const values: Record<string, pulumi.Input<string>> = {};
    for (const secret of spec.secrets) values[secret] = args.secrets.get(args.app, secret);
    for (const variable of databaseUrlNames(spec)) {
      // The loader refuses this wiring without a database; a machine without its URL would only crash-loop.
      if (args.databaseUrl === undefined) {
        throw new Error(`${at}.env.${variable}: wired from the database, but no database URL was given`);
      }
      values[variable] = pulumi.secret(args.databaseUrl);
    }
    return values;
  }
}
