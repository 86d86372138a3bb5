import { createHash } from "node:crypto";

/**
 * Kubernetes naming rules and the names and labels this runtime gives a lease's objects.
 * Every name is derived from the lease (never stored), so a restarted agent finds what it made.
 */

export const FIELD_MANAGER = "bidcloud-agent";

const PREFIX = "bidcloud.io";

export const LABELS = {
  managedBy: "app.kubernetes.io/managed-by",
  name: "app.kubernetes.io/name",
  lease: `${PREFIX}/lease`,
  deployment: `${PREFIX}/deployment`,
  service: `${PREFIX}/service`,
} as const;

/** Exact ids ride in annotations: label values are limited to 63 characters of a small alphabet. */
export const ANNOTATIONS = {
  leaseId: `${PREFIX}/lease-id`,
  deploymentId: `${PREFIX}/deployment-id`,
  group: `${PREFIX}/group`,
  manifestVersion: `${PREFIX}/manifest-version`,
} as const;

/** Selects everything this runtime made, in any lease. */
export const MANAGED_SELECTOR = `${LABELS.managedBy}=${FIELD_MANAGER}`;

export const MAX_LABEL_LENGTH = 63;
const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Namespaces, container names, Ingress host labels. */
export function isDns1123Label(text: string): boolean {
  return text.length <= MAX_LABEL_LENGTH && DNS_1123_LABEL.test(text);
}

/** Service names: a DNS label that starts with a letter (they become DNS names inside the cluster). */
export function isDns1035Label(text: string): boolean {
  return text.length <= MAX_LABEL_LENGTH && DNS_1035_LABEL.test(text);
}

export function isLabelValue(text: string): boolean {
  return text.length <= MAX_LABEL_LENGTH && LABEL_VALUE.test(text);
}

/** A DNS subdomain of lowercase labels ("app.example.com"), as an Ingress host must be. */
export function isDnsSubdomain(text: string): boolean {
  return text.length <= 253 && text.split(".").every(isDns1123Label);
}

function shortHash(text: string, hexDigits: number): string {
  return createHash("sha256").update(text).digest("hex").slice(0, hexDigits);
}

/**
 * `base + suffix` when it fits in a DNS label; otherwise base is cut and a hash of the whole
 * is put in, so two long names never end up the same.
 */
export function fittedName(base: string, suffix = ""): string {
  const whole = `${base}${suffix}`;
  if (whole.length <= MAX_LABEL_LENGTH) return whole;
  const hash = shortHash(whole, 8);
  const kept = base.slice(0, MAX_LABEL_LENGTH - suffix.length - hash.length - 1).replace(/-+$/, "");
  return `${kept}-${hash}${suffix}`;
}

function dnsSlug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/**
 * One namespace per lease: the prefix and the lease id (a UUID fits as it is). An id that is not
 * a DNS label already gets a hash, so two ids that differ only in case or punctuation stay apart.
 */
export function namespaceName(leaseId: string, prefix: string): string {
  const slug = dnsSlug(leaseId);
  const plain = `${prefix}${slug}`;
  if (slug === leaseId && isDns1123Label(plain)) return plain;
  return fittedName(`${prefix}${slug}`, `-${shortHash(leaseId, 8)}`);
}

/** An id as a label value: itself when it is one, otherwise a readable cut and a hash. */
export function labelValue(text: string): string {
  if (isLabelValue(text)) return text;
  const slug = text.replace(/[^A-Za-z0-9_.-]+/g, "-").slice(0, 40);
  return `${slug}-${shortHash(text, 12)}`.replace(/^[^A-Za-z0-9]+/, "");
}

/**
 * The lease's part of its Ingress hosts. A hash, not the id's first characters: UUIDv7 ids begin
 * with their creation time, so leases made in the same minute would share a prefix.
 */
export function leaseShortName(leaseId: string): string {
  return shortHash(leaseId, 12);
}

/** "<lease-short>-<service>-<port>": the host label of one exposed port. */
export function ingressHostLabel(leaseId: string, service: string, port: number): string {
  const short = leaseShortName(leaseId);
  return fittedName(`${short}-${service}`, `-${port}`);
}

/** Container and Service port names: at most 15 characters, with a letter ("tcp-8080"). */
export function portName(port: number, proto: "TCP" | "UDP"): string {
  return `${proto.toLowerCase()}-${port}`;
}

/** The NodePort Service beside a service's ClusterIP Service (the "-np" suffix is Akash's). */
export function nodePortServiceName(service: string): string {
  return fittedName(service, "-np");
}

/** The NetworkPolicy that opens a service's global ports. */
export function globalPolicyName(service: string): string {
  return fittedName(service, "-global");
}
