/**
 * The typed Fly Machines API client shared by every Fly dynamic provider. It holds no state:
 * each call reads FLY_API_TOKEN / FLY_API_BASE_URL from the environment (see settings.ts).
 */

import { apps } from "./api/apps";
import { certificates } from "./api/certificates";
import { ips } from "./api/ips";
import { leases, withLease } from "./api/leases";
import { machines } from "./api/machines";
import { secrets } from "./api/secrets";
import { volumes } from "./api/volumes";

export const flyClient = { apps, secrets, machines, leases, withLease, volumes, ips, certificates };

export type FlyClient = typeof flyClient;

export { flyRequest } from "./http";
export type { FlyRequest, FlyResponse, HttpMethod } from "./http";
export { type FlyApiError, isFlyApiError } from "./errors";
export { readSettings, DEFAULT_BASE_URL } from "./settings";
export type { FlySettings } from "./settings";
