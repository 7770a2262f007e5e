export * from "./defaults";
export * from "./errors";
export * from "./load";
export * from "./pulumi-config";
export * from "./pulumi-files";
export * from "./schema";
export * from "./secrets";
