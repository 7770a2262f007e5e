import { program } from "./program";

// Stack outputs are this module's exports.
const outputs = program();
export const environment = outputs.environment;
export const apps = outputs.apps;
export const alerts = outputs.alerts;
