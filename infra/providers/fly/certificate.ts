/** FlyCertificate: an ACME (Let's Encrypt) certificate for a custom domain of an app. */

import * as pulumi from "@pulumi/pulumi";
import { certificates } from "./api/certificates";
import { isFlyApiError } from "./errors";
import { type Args, changedKeys, failure, TYPE_MODULE } from "./provider-kit";
import type { CertificateDetail } from "./types";

export interface FlyCertificateInputs {
  app: string;
  hostname: string;
}

export interface FlyCertificateOutputs extends FlyCertificateInputs {
  status: string;
  configured: boolean;
  /** DNS records to create for the hostname (A / AAAA, or a CNAME) and the ACME challenge. */
  dnsA: string[];
  dnsAaaa: string[];
  dnsCname: string;
  acmeChallengeName: string;
  acmeChallengeTarget: string;
}

const HOSTNAME = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

function outputsOf(inputs: FlyCertificateInputs, c: CertificateDetail): FlyCertificateOutputs {
  const dns = c.dns_requirements ?? {};
  return {
    ...inputs,
    status: c.status ?? "pending",
    configured: c.configured ?? false,
    dnsA: dns.a ?? [],
    dnsAaaa: dns.aaaa ?? [],
    dnsCname: dns.cname ?? "",
    acmeChallengeName: dns.acme_challenge?.name ?? "",
    acmeChallengeTarget: dns.acme_challenge?.target ?? "",
  };
}

export const flyCertificateProvider: pulumi.dynamic.ResourceProvider<
  FlyCertificateInputs,
  FlyCertificateOutputs
> = {
  async check(_olds, news) {
    const failures = [];
    if (typeof news.app !== "string" || news.app === "") failures.push(failure("app", "required"));
    if (typeof news.hostname !== "string" || !HOSTNAME.test(news.hostname)) {
      failures.push(failure("hostname", "a lowercase DNS name such as api.example.com"));
    }
    return { inputs: news, failures };
  },

  async diff(_id, olds, news) {
    const replaces = changedKeys<FlyCertificateInputs>(olds, news, ["app", "hostname"]);
    return { changes: replaces.length > 0, replaces, deleteBeforeReplace: false };
  },

  async create(inputs) {
    let cert: CertificateDetail;
    try {
      cert = await certificates.requestAcme(inputs.app, inputs.hostname);
    } catch (e) {
      // Already requested (by an interrupted run): adopt it rather than fail.
      const existing = isFlyApiError(e, 422)
        ? await certificates.get(inputs.app, inputs.hostname)
        : undefined;
      if (!existing) throw e;
      cert = existing;
    }
    return { id: inputs.hostname, outs: outputsOf(inputs, cert) };
  },

  async read(id, props) {
    if (!props) return {};
    const cert = await certificates.get(props.app, id);
    return cert ? { id, props: outputsOf(props, cert) } : {};
  },

  async delete(id, props) {
    await certificates.delete(props.app, id);
  },
};

/** A custom-domain certificate. Type token `pulumi-nodejs:dynamic/fly:Certificate`. */
export class FlyCertificate extends pulumi.dynamic.Resource {
  declare readonly status: pulumi.Output<string>;
  declare readonly dnsA: pulumi.Output<string[]>;
  declare readonly dnsAaaa: pulumi.Output<string[]>;
  declare readonly dnsCname: pulumi.Output<string>;
  declare readonly acmeChallengeName: pulumi.Output<string>;
  declare readonly acmeChallengeTarget: pulumi.Output<string>;

  constructor(name: string, args: Args<FlyCertificateInputs>, opts?: pulumi.CustomResourceOptions) {
    super(
      flyCertificateProvider,
      name,
      {
        ...args,
        status: undefined,
        configured: undefined,
        dnsA: undefined,
        dnsAaaa: undefined,
        dnsCname: undefined,
        acmeChallengeName: undefined,
        acmeChallengeTarget: undefined,
      },
      opts,
      TYPE_MODULE,
      "Certificate",
    );
  }
}
