/** A spec-faithful fake of the Supabase Management API, for the settings providers' tests. */

export { startFakeManagementApi, type FakeManagementApi, type RecordedRequest } from "./server";
export type { FakeFaults, InjectedFailure } from "./faults";
export { AUTH_SECRETS, FakeStore, JWT_SECRET, type FakeProject } from "./store";
export { loadSpec, specOperations, SpecValidator, SPEC_PATH } from "./spec";
