export type { InjectedFailure } from "./faults";
export {
  startFakeStorage,
  STORAGE_ROOT,
  type FakeStorage,
  type FakeStorageOptions,
  type RecordedRequest,
} from "./server";
export { loadSpec, matchOperation, specOperations, type SpecOperation } from "./spec";
export type { FakeStore } from "./store";
