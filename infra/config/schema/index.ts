import { z } from "zod";
import { appName, appSchema } from "./app";
import { environmentSchema } from "./environment";

export * from "./alerts";
export * from "./app";
export * from "./backup";
export * from "./common";
export * from "./database";
export * from "./environment";
export * from "./frontend";
export * from "./services";
export * from "./supabase";

/** The app catalog: app name → its declaration. */
export const catalogSchema = z.record(appName, appSchema);

/** Everything the program needs, validated: the stack's environment profile and the app catalog. */
export const platformSchema = z
  .object({
    environment: environmentSchema,
    apps: catalogSchema,
  })
  .strict();

export type PlatformSpec = z.infer<typeof platformSchema>;
