/** Checklist 1 — HTTPS everywhere: endpoints, webhooks and Fly services speak TLS only. */
import type { ReportViolation, ResourceValidationArgs } from "@pulumi/policy";
import { resourceRule } from "./checklist";
import { at, envEntries } from "./lib/env";
import { isHttpService, portsOf, services } from "./lib/fly";
import { FLY, GITHUB, VERCEL } from "./lib/types";
import { isHttpsUrl, isInsecureUrl } from "./lib/urls";
import { record, type Props } from "./lib/values";

function githubWebhook(props: Props, report: ReportViolation): void {
  // Offline, a configuration held as a secret is masked and cannot be read; the CLI sees it.
  const configuration = record(props["configuration"]);
  if (!configuration) return;
  if (!isHttpsUrl(configuration["url"])) report("the webhook's configuration.url is not an https:// URL");
  const insecure = configuration["insecureSsl"];
  if (insecure === true || insecure === "1" || insecure === "true") {
    report("the webhook sets configuration.insecureSsl: deliveries would skip certificate verification");
  }
}

function endpoint(props: Props, report: ReportViolation): void {
  const url = props["endpoint"];
  if (typeof url === "string" && !isHttpsUrl(url)) report("the endpoint is not an https:// URL");
}

function flyMachine(props: Props, report: ReportViolation): void {
  services(props).forEach((service, i) => {
    if (!isHttpService(service)) return;
    const ports = portsOf(service);
    if (!ports.some((p) => p.handlers.includes("tls"))) {
      report(`services[${i}] has no port with the "tls" handler: it cannot serve HTTPS`);
    }
    for (const p of ports) {
      if (p.handlers.includes("http") && !p.handlers.includes("tls") && !p.forceHttps) {
        report(`services[${i}] answers plain HTTP on port ${p.port ?? "?"} without force_https`);
      }
    }
  });
}

function validate(args: ResourceValidationArgs, report: ReportViolation): void {
  const props = args.props as Props;
  switch (args.type) {
    case GITHUB.webhook:
      githubWebhook(props, report);
      break;
    case VERCEL.webhook:
    case VERCEL.logDrain:
    case VERCEL.traceDrain:
      endpoint(props, report);
      break;
    case FLY.machine:
      flyMachine(props, report);
      break;
  }
  for (const entry of envEntries(args.type, props)) {
    if (isInsecureUrl(entry.value)) report(`${entry.key}${at(entry.path)} points to a plain http:// URL`);
  }
}

export const httpsEverywhere = resourceRule({
  name: "https-everywhere",
  description: "Every endpoint, webhook and service URL uses HTTPS; Fly services force HTTPS behind TLS.",
  severity: "high",
  checklistItem: 1,
  remediationSteps: [
    "1. Use https:// for every webhook, log drain and API URL (the catalog refuses http:// values).",
    "2. Never set insecureSsl on a webhook; fix the receiver's certificate instead.",
    "3. On Fly services keep the default ports (80 with force_https, 443 with tls + http handlers).",
  ].join("\n"),
  resourceTypes: [
    GITHUB.webhook,
    GITHUB.environmentVariable,
    GITHUB.repositoryVariable,
    VERCEL.webhook,
    VERCEL.logDrain,
    VERCEL.traceDrain,
    VERCEL.envVar,
    VERCEL.envVars,
    VERCEL.sharedEnvVar,
    VERCEL.project,
    FLY.machine,
  ],
  validateResource: validate,
});
