import { program } from "./program";

// The program is asynchronous (it declares apps one at a time), so the module exports a function:
// Pulumi awaits it and each key of the result becomes a stack output (environment, apps, alerts).
export = program;
