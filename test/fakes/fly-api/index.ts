/** A spec-faithful fake of the Fly Machines API, for tests and the API-call benchmark. */

export { startFakeFlyApi, type FakeFlyApi, type FakeOptions, type RecordedRequest } from "./server";
export type { FakeFaults, InjectedFailure } from "./faults";
export { FakeStore, HEALTH_TICKS, type FakeMachine } from "./store";
export { SchemaValidator } from "./validate";
export { loadSpec, specOperations, SPEC_PATH } from "./spec";
