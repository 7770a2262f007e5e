/**
 * A Pulumi engine as the CLI serves it to a program: the ResourceMonitor and Engine gRPC services,
 * with the SDK's own protos (`@pulumi/pulumi/proto`). Registrations are recorded with the offline
 * engine's recorder, so both runs are read the same way; providers answer as the offline engine's
 * mocks do (inputs echoed as state, an id from the logical name, the same computed outputs; provider
 * functions answered by the same fakes).
 */
import * as grpc from "@grpc/grpc-js";
import { computedOutputs } from "../../tools/engine/computed-outputs";
import { answerInvoke } from "../../tools/engine/invokes";
import { recordRegistrations } from "../../tools/engine/recording-monitor";
import type { RecordedResource } from "../../tools/engine/types";

const resourceGrpc = require("@pulumi/pulumi/proto/resource_grpc_pb.js");
const resourceProto = require("@pulumi/pulumi/proto/resource_pb.js");
const engineGrpc = require("@pulumi/pulumi/proto/engine_grpc_pb.js");
const engineProto = require("@pulumi/pulumi/proto/engine_pb.js");
const providerProto = require("@pulumi/pulumi/proto/provider_pb.js");
const structProto = require("google-protobuf/google/protobuf/struct_pb.js");
const emptyProto = require("google-protobuf/google/protobuf/empty_pb.js");

type Unary = (call: { request: any }, callback: (error: Error | null, response?: unknown) => void) => void;

export interface ServedEngine {
  /** `127.0.0.1:<port>`, for `--monitor` and `--engine`. */
  address: string;
  /** Every registration, in order, the stack root included. */
  recorded: RecordedResource[];
  /** Messages the program logged, with their severity. */
  logs: Array<{ severity: number; message: string }>;
  /** Invoke tokens the program called. */
  invokes: string[];
  /** When the first registration arrived (Date.now()), for the benchmark. */
  firstRegistrationAt(): number | undefined;
  close(): Promise<void>;
}

/** The URN the engine gives a resource: its type qualified by its parents' types, under the stack. */
export function urnOf(stack: string, project: string, type: string, name: string, parent: string): string {
  const parentType = parent ? parent.split("::")[2]! : "";
  const qualified = parentType && parentType !== "pulumi:pulumi:Stack" ? `${parentType}$${type}` : type;
  return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

export async function serveEngine(stack: string, project: string): Promise<ServedEngine> {
  let root = "";
  const logs: ServedEngine["logs"] = [];
  const invokes: string[] = [];
  let firstAt: number | undefined;

  // Answers a registration as the offline engine's mocks do.
  const monitor = {
    registerResource(req: any, callback: (error: unknown, response?: any) => void): void {
      const type: string = req.getType();
      const name: string = req.getName();
      const inputs = (req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>;
      const response = new resourceProto.RegisterResourceResponse();
      response.setUrn(urnOf(stack, project, type, name, req.getParent()));
      if (req.getCustom()) {
        response.setId(`${name}-id`);
        response.setObject(
          structProto.Struct.fromJavaScript({ ...computedOutputs(type, name, inputs), ...inputs }),
        );
      } else {
        response.setObject(structProto.Struct.fromJavaScript({}));
      }
      callback(null, response);
    },
  };
  const recorded = recordRegistrations(monitor);

  const monitorService: Record<string, Unary> = {
    supportsFeature(call, callback) {
      const response = new resourceProto.SupportsFeatureResponse();
      // As the offline engine's mock monitor: every feature but output values.
      response.setHassupport(call.request.getId() !== "outputValues");
      callback(null, response);
    },
    registerResource(call, callback) {
      firstAt ??= Date.now();
      monitor.registerResource(call.request, (error, response) => callback(error as Error | null, response));
    },
    registerResourceOutputs(_call, callback) {
      callback(null, new emptyProto.Empty());
    },
    invoke(call, callback) {
      const token: string = call.request.getTok();
      invokes.push(token);
      const args = (call.request.getArgs()?.toJavaScript() ?? {}) as Record<string, unknown>;
      const response = new resourceProto.ResourceInvokeResponse();
      response.setReturn(structProto.Struct.fromJavaScript(answerInvoke(token, args)));
      callback(null, response);
    },
    call(_call, callback) {
      const response = new providerProto.CallResponse();
      response.setReturn(structProto.Struct.fromJavaScript({}));
      callback(null, response);
    },
    signalAndWaitForShutdown(_call, callback) {
      callback(null, new emptyProto.Empty());
    },
  };
  const engineService: Record<string, Unary> = {
    log(call, callback) {
      logs.push({ severity: call.request.getSeverity(), message: call.request.getMessage() });
      callback(null, new emptyProto.Empty());
    },
    getRootResource(_call, callback) {
      const response = new engineProto.GetRootResourceResponse();
      response.setUrn(root);
      callback(null, response);
    },
    setRootResource(call, callback) {
      root = call.request.getUrn();
      callback(null, new engineProto.SetRootResourceResponse());
    },
  };

  const server = new grpc.Server();
  server.addService(resourceGrpc.ResourceMonitorService, monitorService);
  server.addService(engineGrpc.EngineService, engineService);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return {
    address: `127.0.0.1:${port}`,
    recorded,
    logs,
    invokes,
    firstRegistrationAt: () => firstAt,
    close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}
