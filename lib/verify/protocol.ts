import { z } from "zod";

/**
 * What a provider agent sends the verifier, shared by both sides. Plain data and zod: no I/O,
 * no crypto library (the agent signs with viem, the verifier recovers with viem).
 *
 * A heartbeat is EIP-712 typed data signed by the provider's signing key (the address
 * registered on its profile). It carries the lease, a sequence number that only grows, the
 * agent's clock (unix seconds), the services it finds ready, and the keccak256 of the report
 * that travels with it (status, service URIs, events, logs), so the whole report is signed.
 */
export const VERIFIER_DOMAIN = { name: "Bidcloud Verifier", version: "1" } as const;

export const HEARTBEAT_TYPES = {
  Heartbeat: [
    { name: "leaseId", type: "string" },
    { name: "sequence", type: "uint64" },
    { name: "time", type: "uint64" },
    { name: "servicesReady", type: "string[]" },
    { name: "reportHash", type: "bytes32" },
  ],
} as const;

/** Proof that the provider holds the key it registers: the key signs the provider's id and its own address. */
export const SIGNING_KEY_TYPES = {
  ProviderSigningKey: [
    { name: "providerId", type: "string" },
    { name: "signer", type: "address" },
  ],
} as const;

export const MAX_REPORT_BYTES = 256 * 1024;
export const MAX_SERVICES = 32;
export const MAX_URIS_PER_SERVICE = 8;
export const MAX_EVENTS_PER_REPORT = 100;
export const MAX_LOG_LINES_PER_REPORT = 500;
export const MAX_LOG_LINE_CHARS = 4096;

const Hex32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/, { message: "must be 0x and 64 hex digits" });
export const AddressSchema = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, { message: "must be 0x and 40 hex digits" });
export const SignatureSchema = z
  .string()
  .regex(/^0x[0-9a-fA-F]{130}$/, { message: "must be a 65-byte signature: 0x and 130 hex digits" });
const ServiceName = z.string().min(1).max(63);

/** A report's timestamp: ISO 8601, and plausible (from 2000 to a day ahead), so any database can hold it. */
const ReportTime = z.iso.datetime({ offset: true }).refine(
  (value) => {
    const time = Date.parse(value);
    return time >= Date.UTC(2000, 0, 1) && time <= Date.now() + 86_400_000;
  },
  { message: "must be a time between 2000 and a day from now" },
);

export const HeartbeatSchema = z.strictObject({
  leaseId: z.string().min(1).max(64),
  /** Only grows for a lease, across agent restarts (agents use a millisecond clock). */
  sequence: z
    .number()
    .int({ message: "must be a whole number" })
    .min(1, { message: "must be at least 1" })
    .max(Number.MAX_SAFE_INTEGER),
  /** The agent's clock, unix seconds. */
  time: z
    .number()
    .int({ message: "must be unix seconds" })
    .min(0)
    .max(2 ** 40),
  servicesReady: z.array(ServiceName).max(MAX_SERVICES),
  reportHash: Hex32,
});
export type Heartbeat = z.infer<typeof HeartbeatSchema>;

/** Body of POST /leases/{id}/heartbeats. `report` is JSON text; keccak256 of its UTF-8 bytes is heartbeat.reportHash. */
export const HeartbeatRequestSchema = z.strictObject({
  heartbeat: HeartbeatSchema,
  report: z.string().max(MAX_REPORT_BYTES, { message: `must be at most ${MAX_REPORT_BYTES} characters` }),
  signature: SignatureSchema,
});
export type HeartbeatRequest = z.infer<typeof HeartbeatRequestSchema>;

export const WORKLOAD_STATUSES = ["deploying", "running", "degraded", "failed", "manifest_rejected"] as const;
export type WorkloadStatus = (typeof WORKLOAD_STATUSES)[number];
/** A lease's workload as the marketplace shows it: "pending" until its agent's first report. */
export type LeaseWorkloadStatus = "pending" | WorkloadStatus;

export const ServiceReportSchema = z.strictObject({
  name: ServiceName,
  ready: z.boolean(),
  replicas: z.number().int().min(0).max(10_000),
  readyReplicas: z.number().int().min(0).max(10_000),
  /** Where the service is reachable from outside (http(s) URLs); the verifier probes these. */
  uris: z
    .array(z.url({ protocol: /^https?$/, message: "must be an http(s) URL" }).max(2048))
    .max(MAX_URIS_PER_SERVICE),
});
export type ServiceReport = z.infer<typeof ServiceReportSchema>;

/** Services as stored from a validated report; anything else reads as none. */
export function storedServices(value: unknown): ServiceReport[] {
  const parsed = z.array(ServiceReportSchema).safeParse(value);
  return parsed.success ? parsed.data : [];
}

export const WorkloadEventSchema = z.strictObject({
  at: ReportTime,
  type: z.enum(["normal", "warning"]),
  /** Short machine-readable cause, as Kubernetes events have ("Pulled", "ManifestRejected"). */
  reason: z.string().min(1).max(64),
  message: z.string().max(1024),
  service: ServiceName.optional(),
});
export type WorkloadEvent = z.infer<typeof WorkloadEventSchema>;

export const LogLineSchema = z.strictObject({
  at: ReportTime,
  service: ServiceName,
  line: z.string().max(MAX_LOG_LINE_CHARS),
});
export type LogLine = z.infer<typeof LogLineSchema>;

/** The report a heartbeat signs: the workload's state now, and the events and log lines since the last report. */
export const WorkloadReportSchema = z.strictObject({
  status: z.enum(WORKLOAD_STATUSES),
  services: z.array(ServiceReportSchema).max(MAX_SERVICES),
  events: z.array(WorkloadEventSchema).max(MAX_EVENTS_PER_REPORT),
  logs: z.array(LogLineSchema).max(MAX_LOG_LINES_PER_REPORT),
});
export type WorkloadReport = z.infer<typeof WorkloadReportSchema>;

/** Body of PUT /provider/signing-key. */
export const SigningKeyRequestSchema = z.strictObject({
  address: AddressSchema,
  signature: SignatureSchema,
});
export type SigningKeyRequest = z.infer<typeof SigningKeyRequestSchema>;
