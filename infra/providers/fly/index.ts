/**
 * Fly.io dynamic providers on the Machines REST API (no Fly provider exists on the registry).
 * Credentials come from FLY_API_TOKEN / FLY_API_BASE_URL at call time, never from state.
 */

export { FlyApp, flyAppProvider, type FlyAppInputs, type FlyAppOutputs } from "./app";
export { FlySecrets, flySecretsProvider, type FlySecretsInputs, type FlySecretsOutputs } from "./secrets";
export { FlyMachine, flyMachineProvider, type FlyMachineInputs, type FlyMachineOutputs } from "./machine";
export { FlyVolume, flyVolumeProvider, type FlyVolumeInputs, type FlyVolumeOutputs } from "./volume";
export {
  FlyIpAssignment,
  flyIpAssignmentProvider,
  type FlyIpAssignmentInputs,
  type FlyIpAssignmentOutputs,
} from "./ip";
export {
  FlyMachineHandover,
  flyMachineHandoverProvider,
  type FlyMachineHandoverInputs,
  type FlyMachineHandoverOutputs,
} from "./handover";
export {
  FlyCertificate,
  flyCertificateProvider,
  type FlyCertificateInputs,
  type FlyCertificateOutputs,
} from "./certificate";
export type {
  FlyCheckArgs,
  FlyGuestArgs,
  FlyMachineSpec,
  FlyMetricsArgs,
  FlyMountArgs,
  FlyPortArgs,
  FlyServiceArgs,
} from "./machine-config";
export { flyClient, type FlyApiError, isFlyApiError, readSettings } from "./client";
export type { FlyDeployError } from "./errors";
