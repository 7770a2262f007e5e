export {
  objectPath,
  StorageClient,
  type StorageBucket,
  type StorageObject,
  type StorageTarget,
} from "./client";
export { isStorageApiError, storageApiError, type StorageApiError } from "./errors";
export {
  BASE_URL_ENV,
  readServiceKey,
  readStorageSettings,
  SERVICE_KEY_ENV,
  storageRootOf,
} from "./settings";
