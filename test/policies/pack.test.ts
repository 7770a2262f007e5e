import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHECKLIST, policies } from "../../policies/rules";

const ROOT = path.resolve(__dirname, "..", "..");
const PACK = path.join(ROOT, "policies");

describe("the rules' metadata", () => {
  it("gives every rule a stable kebab-case id, a description, severity, checklist item, remediation and types", () => {
    const ids = policies.map((p) => p.name);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of policies) {
      expect(rule.name).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(rule.description.length).toBeGreaterThan(20);
      expect(["low", "medium", "high", "critical"]).toContain(rule.severity);
      expect(CHECKLIST.map((i) => i.number)).toContain(rule.checklistItem);
      expect(rule.remediationSteps.length).toBeGreaterThan(20);
      expect(rule.resourceTypes.length).toBeGreaterThan(0);
      expect(rule.framework?.reference).toBe(`item ${rule.checklistItem}`);
      // The pack's server refuses these: config cannot declare the level.
      expect(rule.configSchema?.properties["enforcementLevel"]).toBeUndefined();
      expect(rule.name).not.toBe("all");
    }
  });

  it("enforces every item of the checklist, 1 to 13", () => {
    expect(CHECKLIST.map((i) => i.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    for (const item of CHECKLIST) {
      expect(policies.filter((p) => p.checklistItem === item.number).length, item.text).toBeGreaterThan(0);
    }
    expect(CHECKLIST.filter((i) => i.required).map((i) => i.number)).toEqual([1, 2, 3, 4, 9]);
  });
});

describe("policies/index.ts", () => {
  it("type-checks", () => {
    const config = ts.readConfigFile(path.join(ROOT, "tsconfig.json"), ts.sys.readFile);
    const options = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT).options;
    const program = ts.createProgram([path.join(PACK, "index.ts")], options);
    const own = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file?.fileName.startsWith(PACK))
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    expect(own).toEqual([]);
  });

  it("is imported by no test (constructing the pack starts a server)", () => {
    const specifier = /(?:from\s+|require\(\s*|import\(\s*)["']([^"']+)["']/g;
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (/\.[cm]?[jt]s$/.test(entry.name)) {
          for (const match of fs.readFileSync(full, "utf8").matchAll(specifier)) {
            const target = path.resolve(dir, match[1]!).replace(/\.ts$/, "");
            if (match[1]!.startsWith(".") && [PACK, path.join(PACK, "index")].includes(target))
              offenders.push(full);
          }
        }
      }
    };
    walk(path.join(ROOT, "test"));
    expect(offenders).toEqual([]);
  });
});

/** The pack as the Pulumi CLI runs it: its own process, answering the analyzer protocol. */
describe("the policy pack served to the Pulumi CLI", () => {
  const grpc = require("@grpc/grpc-js");
  const services = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
  const messages = require("@pulumi/pulumi/proto/analyzer_pb");
  const { Empty } = require("google-protobuf/google/protobuf/empty_pb");
  const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
  let child: ChildProcess;
  let client: any;

  const call = <T>(method: string, request: unknown): Promise<T> =>
    new Promise((resolve, reject) =>
      client[method](request, (e: Error | null, r: T) => (e ? reject(e) : resolve(r))),
    );

  beforeAll(async () => {
    child = spawn(process.execPath, ["--require", require.resolve("tsx/cjs"), "index.ts"], { cwd: PACK });
    const port = await new Promise<string>((resolve, reject) => {
      let out = "";
      let err = "";
      child.stdout!.on("data", (d) => {
        out += d;
        const line = /^(\d+)\s*$/m.exec(out);
        if (line) resolve(line[1]!);
      });
      child.stderr!.on("data", (d) => (err += d));
      child.once("exit", (code) => reject(new Error(`the pack exited with ${code}: ${err}`)));
    });
    client = new services.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  });

  afterAll(() => {
    client?.close();
    child?.kill();
  });

  it("announces every rule, plus the check of expired exemptions", async () => {
    const info = await call<any>("getAnalyzerInfo", new Empty());
    expect(info.getName()).toBe("launchpad-security");
    const names = info.getPoliciesList().map((p: any) => p.getName());
    expect(names).toEqual([...policies.map((p) => p.name), "accountable-exemptions"]);
  });

  it("reports a violation at the level the stack's config file sets", async () => {
    const levels = JSON.parse(fs.readFileSync(path.join(PACK, "config", "dev.json"), "utf8")) as Record<
      string,
      string
    >;
    const request = new messages.ConfigureAnalyzerRequest();
    for (const [policy, level] of Object.entries(levels)) {
      const config = new messages.PolicyConfig();
      config.setEnforcementlevel(
        level === "mandatory" ? messages.EnforcementLevel.MANDATORY : messages.EnforcementLevel.ADVISORY,
      );
      config.setProperties(Struct.fromJavaScript({}));
      request.getPolicyconfigMap().set(policy, config);
    }
    await call("configure", request);

    const analyze = new messages.AnalyzeRequest();
    analyze.setType("vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable");
    analyze.setName("sheet2scene-frontend-env-runpod-api-key");
    analyze.setUrn(
      "urn:pulumi:dev::launchpad::launchpad:vercel:Frontend$vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable::x",
    );
    analyze.setProperties(
      Struct.fromJavaScript({ projectId: "p", key: "RUNPOD_API_KEY", value: "rp_123", sensitive: false }),
    );
    analyze.setOptions(new messages.AnalyzerResourceOptions());
    const response = await call<any>("analyze", analyze);
    const diagnostics = response
      .getDiagnosticsList()
      .map((d: any) => [d.getPolicyname(), d.getEnforcementlevel(), d.getMessage()]);
    expect(diagnostics).toEqual([
      [
        "secrets-in-secrets-manager",
        messages.EnforcementLevel.ADVISORY,
        expect.stringMatching(/RUNPOD_API_KEY looks like a secret but is not a sensitive Vercel variable$/),
      ],
    ]);
  });
});
