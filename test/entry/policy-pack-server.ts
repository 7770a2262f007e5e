/**
 * The policy pack started the way the Pulumi CLI starts it: `@pulumi/pulumi/cmd/run-policy-pack
 * <engine address> policies`, which prints the port its Analyzer serves on. The CLI then configures
 * it with the stack's policy config and sends AnalyzeStack with every resource of the stack.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as grpc from "@grpc/grpc-js";
import type { RecordedResource } from "../../tools/engine/types";
import { ROOT } from "./run-program";

const analyzerGrpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb.js");
const analyzerProto = require("@pulumi/pulumi/proto/analyzer_pb.js");
const structProto = require("google-protobuf/google/protobuf/struct_pb.js");

/** The engine's sentinels: an unknown value, and the signature of a secret. */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const SECRET_SIG = { key: "4dabf18193072939515e22adb298388d", value: "1b47061264138c4ac30d75fd1eb44270" };
const LEVELS: Record<string, number> = { advisory: 0, mandatory: 1, disabled: 2, remediate: 3 };
const LEVEL_NAMES = ["advisory", "mandatory", "disabled", "remediate"];

export interface Diagnostic {
  policy: string;
  enforcement: string;
  urn: string;
  message: string;
}

export interface ServedPack {
  configure(config: Record<string, string | Record<string, unknown>>): Promise<void>;
  /** What a preview asks: Analyze for each resource (resource rules), then AnalyzeStack (stack rules). */
  analyzePreview(resources: readonly RecordedResource[]): Promise<Diagnostic[]>;
  /** Milliseconds from the process start to the port it printed. */
  startupMs: number;
  close(): void;
}

/** A recorded value as the engine sends it: unknowns as the sentinel, masked secrets as secrets. */
function wire(value: unknown): unknown {
  if (value === "[unknown]") return UNKNOWN;
  if (value === "[secret]") return { [SECRET_SIG.key]: SECRET_SIG.value, value };
  if (Array.isArray(value)) return value.map(wire);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, wire(v)]));
  }
  return value;
}

function analyzerResource(r: RecordedResource, byUrn: ReadonlyMap<string, RecordedResource>): unknown {
  const resource = new analyzerProto.AnalyzerResource();
  resource.setType(r.type);
  resource.setUrn(r.urn);
  resource.setName(r.name);
  resource.setProperties(structProto.Struct.fromJavaScript(wire(r.inputs)));
  resource.setParent(r.parent);
  resource.setDependenciesList(r.dependsOn);
  for (const [key, urns] of Object.entries(r.propertyDependencies)) {
    const deps = new analyzerProto.AnalyzerPropertyDependencies();
    deps.setUrnsList(urns);
    resource.getPropertydependenciesMap().set(key, deps);
  }
  const options = new analyzerProto.AnalyzerResourceOptions();
  options.setProtect(r.protect);
  options.setAdditionalsecretoutputsList(r.additionalSecretOutputs);
  options.setCustomtimeouts(new analyzerProto.AnalyzerResourceOptions.CustomTimeouts());
  if (r.parent) options.setParent(r.parent);
  resource.setOptions(options);
  if (r.provider) {
    const providerUrn = r.provider.slice(0, r.provider.lastIndexOf("::"));
    const declared = byUrn.get(providerUrn);
    if (declared) {
      const provider = new analyzerProto.AnalyzerProviderResource();
      provider.setType(declared.type);
      provider.setUrn(declared.urn);
      provider.setName(declared.name);
      provider.setProperties(structProto.Struct.fromJavaScript(wire(declared.inputs)));
      resource.setProvider(provider);
    }
  }
  return resource;
}

export async function servePolicyPack(engineAddress: string): Promise<ServedPack> {
  const started = Date.now();
  const entry = require.resolve("@pulumi/pulumi/cmd/run-policy-pack");
  const child: ChildProcess = spawn(process.execPath, [entry, engineAddress, "policies"], {
    cwd: ROOT,
    env: { ...process.env, PULUMI_NODEJS_TRANSPILE_ONLY: "true" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const line = /^(\d+)\s*$/m.exec(out);
      if (line) resolve(Number(line[1]));
    });
    child.on("exit", (code) =>
      reject(new Error(`the policy pack exited (${code}) before serving:\n${stderr}`)),
    );
  });
  const startupMs = Date.now() - started;
  const client = new analyzerGrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const unary = <T>(method: string, request: unknown): Promise<T> =>
    new Promise((resolve, reject) =>
      client[method](request, (error: Error | null, response: T) =>
        error ? reject(error) : resolve(response),
      ),
    );

  return {
    startupMs,
    async configure(config) {
      const request = new analyzerProto.ConfigureAnalyzerRequest();
      for (const [policy, value] of Object.entries(config)) {
        const { enforcementLevel, ...properties } =
          typeof value === "string" ? { enforcementLevel: value } : (value as { enforcementLevel?: string });
        const entry = new analyzerProto.PolicyConfig();
        entry.setEnforcementlevel(LEVELS[String(enforcementLevel ?? "mandatory")]);
        entry.setProperties(structProto.Struct.fromJavaScript(properties));
        request.getPolicyconfigMap().set(policy, entry);
      }
      await unary("configure", request);
    },
    async analyzePreview(resources) {
      const byUrn = new Map(resources.map((r) => [r.urn, r]));
      const wired = resources.map((r) => analyzerResource(r, byUrn) as any);
      const diagnostics: Diagnostic[] = [];
      const collect = (response: any, fallbackUrn: string) => {
        for (const d of response.getDiagnosticsList()) {
          diagnostics.push({
            policy: d.getPolicyname(),
            enforcement: LEVEL_NAMES[d.getEnforcementlevel()] ?? String(d.getEnforcementlevel()),
            urn: d.getUrn() || fallbackUrn,
            message: d.getMessage(),
          });
        }
      };
      for (const resource of wired) {
        const request = new analyzerProto.AnalyzeRequest();
        request.setType(resource.getType());
        request.setProperties(resource.getProperties());
        request.setUrn(resource.getUrn());
        request.setName(resource.getName());
        request.setOptions(resource.getOptions());
        if (resource.getProvider()) request.setProvider(resource.getProvider());
        collect(await unary<any>("analyze", request), resource.getUrn());
      }
      const request = new analyzerProto.AnalyzeStackRequest();
      request.setResourcesList(wired);
      collect(await unary<any>("analyzeStack", request), "");
      return diagnostics;
    },
    close() {
      client.close();
      child.kill();
    },
  };
}
