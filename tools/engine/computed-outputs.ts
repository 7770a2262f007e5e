import { createHash } from "node:crypto";

/** Every stand-in carries this marker, so nobody mistakes one for a deployed value. */
const OFFLINE = "offline";

function digestOf(urnish: string): string {
  return createHash("sha256").update(urnish).digest("hex");
}

/**
 * Outputs a provider computes at deploy time that other resources of the program consume. Offline
 * no provider runs, so the mocks would leave them undefined and the consumers' inputs (and their
 * dependencies) would silently drop out of the plan; deterministic stand-ins keep that wiring
 * visible: machines running an image by digest, waiting for a secrets version, mounting a volume.
 */
export function computedOutputs(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
): Record<string, unknown> {
  const hash = digestOf(`${type}::${name}`);
  switch (type) {
    case "docker:index/image:Image": {
      const imageName = typeof inputs["imageName"] === "string" ? inputs["imageName"] : name;
      // `repository@sha256:…`: the tag is not part of a digest reference.
      const repository = imageName.replace(/:[^:/]+$/, "");
      return { repoDigest: `${repository}@sha256:${hash}` };
    }
    case "pulumi-nodejs:dynamic/fly:Secrets":
      return { version: 1 };
    case "pulumi-nodejs:dynamic/fly:Volume":
      return { volumeId: `vol_${OFFLINE}${hash.slice(0, 12)}`, encrypted: true };
    default:
      return {};
  }
}
