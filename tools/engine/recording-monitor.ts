import type { RecordedResource } from "./types";
import { plainValue } from "./property-values";
import { describeProviderCode } from "./provider-code";

/** The slice of the gRPC RegisterResourceRequest the recorder reads. */
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
  getProtect(): boolean | undefined;
  getRetainondelete(): boolean | undefined;
  getAdditionalsecretoutputsList(): string[];
  getDependenciesList(): string[];
  getPropertydependenciesMap(): {
    forEach(cb: (deps: { getUrnsList(): string[] }, key: string) => void): void;
  };
  getProvider(): string;
}

type Callback = (error: unknown, response?: { getUrn(): string }) => void;

interface MonitorLike {
  registerResource(req: RegisterRequest, callback: Callback): Promise<void> | void;
}

/** Fields a dynamic resource carries for the engine's use only (its serialized provider code). */
const ENGINE_FIELDS = new Set(["__provider"]);

function record(req: RegisterRequest, urn: string): RecordedResource {
  const secretInputs: string[] = [];
  const secretDigests: Record<string, string> = {};
  const raw = req.getObject()?.toJavaScript() ?? {};
  const inputs: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    inputs[key] = ENGINE_FIELDS.has(key)
      ? describeProviderCode(value)
      : plainValue(value, key, secretInputs, secretDigests);
  }
  const propertyDependencies: Record<string, string[]> = {};
  req.getPropertydependenciesMap().forEach((deps, key) => {
    propertyDependencies[key] = deps.getUrnsList();
  });
  return {
    type: req.getType(),
    name: req.getName(),
    urn,
    parent: req.getParent(),
    custom: req.getCustom(),
    inputs,
    secretInputs,
    secretDigests,
    protect: req.getProtect() === true,
    retainOnDelete: req.getRetainondelete() === true,
    additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
    dependsOn: req.getDependenciesList(),
    propertyDependencies,
    provider: req.getProvider(),
  };
}

/**
 * Wraps the mock monitor so every registration is recorded with what the mocks API does not pass on:
 * parent, resource options, dependencies and which inputs are secret.
 */
export function recordRegistrations(monitor: MonitorLike): RecordedResource[] {
  const recorded: RecordedResource[] = [];
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) =>
    register(req, (error, response) => {
      if (!error && response) recorded.push(record(req, response.getUrn()));
      callback(error, response);
    });
  return recorded;
}
