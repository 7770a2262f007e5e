/** Pure SQL generators, for review output (`launchpad sql`) and for the providers. */
export * from "./ident";
export * from "./rls";
export * from "./membership";
export * from "./auth-shim";
export * from "./storage";
export * from "./cron";
export * from "./cron-schedule";
export * from "./jobs";
export * from "./platform-tables";
export * from "./review";
