import { z } from "zod";
import { providerToWire } from "@/lib/market/wire-format";
import { acceptHeartbeat } from "@/lib/verify/accept-heartbeat";
import {
  HeartbeatRequestSchema,
  ServiceReportSchema,
  SigningKeyRequestSchema,
  WORKLOAD_STATUSES,
} from "@/lib/verify/protocol";
import { registerSigningKey } from "@/lib/verify/register-signing-key";
import { leaseLogs, leaseVerification, providerVerificationRecord } from "@/lib/verify/verification-queries";
import { defineRoute } from "../_lib/route";
import { IdParams, ProviderWire, Timestamp, LogCursor } from "./schemas";

const WorkloadStatusWire = z.enum(["pending", ...WORKLOAD_STATUSES]);

const LeaseEventWire = z.object({
  id: z.string(),
  at: Timestamp,
  source: z.enum(["provider", "verifier"]),
  type: z.enum(["normal", "warning"]),
  reason: z.string(),
  message: z.string(),
  service: z.string().nullable(),
});

const VerificationWire = z.object({
  leaseId: z.string(),
  leaseState: z.enum(["active", "insufficient_funds", "closed"]),
  status: WorkloadStatusWire,
  services: z.array(ServiceReportSchema),
  verifiedSeconds: z
    .number()
    .int()
    .describe("Time found running by heartbeat and probes: the only time paid"),
  elapsedSeconds: z.number().int(),
  lastHeartbeatAt: Timestamp.nullable(),
  lastProbeAt: Timestamp.nullable(),
  lastProbeOk: z.boolean().nullable(),
  checks: z.number().int(),
  failedChecks: z.number().int(),
  uptime: z.array(
    z.object({ startAt: Timestamp, endAt: Timestamp, verified: z.boolean(), reason: z.string().nullable() }),
  ),
  events: z.array(LeaseEventWire).describe("Newest first"),
});

const iso = (date: Date | null) => date?.toISOString() ?? null;

export const verifyRoutes = [
  defineRoute({
    method: "PUT",
    path: "/provider/signing-key",
    operationId: "registerSigningKey",
    summary:
      'Registers the key that signs the provider agent\'s heartbeats. `signature` is the key\'s EIP-712 signature (domain { name: "Bidcloud Verifier", version: "1" }) of ProviderSigningKey { string providerId, address signer }',
    tag: "verification",
    auth: "apiKey",
    body: SigningKeyRequestSchema,
    success: { status: 200, description: "The profile", schema: z.object({ provider: ProviderWire }) },
    errors: [400, 401, 403, 409, 422],
    handler: async ({ principal, body }) => {
      const provider = await registerSigningKey(principal, body);
      return { status: 200, body: { provider: providerToWire(provider) } };
    },
  }),
  defineRoute({
    method: "POST",
    path: "/leases/{id}/heartbeats",
    operationId: "sendHeartbeat",
    summary:
      'A provider agent\'s signed heartbeat with its report (status, service URIs, events, logs). `heartbeat` is EIP-712 Heartbeat { string leaseId, uint64 sequence, uint64 time, string[] servicesReady, bytes32 reportHash } (domain { name: "Bidcloud Verifier", version: "1" }) signed by the provider\'s signing key; reportHash is keccak256 of `report`\'s UTF-8 bytes. Refused unless the sequence grows and the time is fresh',
    tag: "verification",
    auth: "apiKey",
    params: IdParams,
    body: HeartbeatRequestSchema,
    success: {
      status: 202,
      description: "Accepted",
      schema: z.object({ accepted: z.literal(true), sequence: z.number().int() }),
    },
    errors: [400, 401, 403, 404, 409, 413, 422],
    handler: async ({ principal, params, body }) => {
      const receipt = await acceptHeartbeat(principal, params.id, body);
      return { status: 202, body: receipt };
    },
  }),
  defineRoute({
    method: "GET",
    path: "/leases/{id}/verification",
    operationId: "getLeaseVerification",
    summary:
      "The lease's verification: workload status, service URIs, verified time, uptime record and events",
    tag: "verification",
    auth: "apiKey",
    params: IdParams,
    success: {
      status: 200,
      description: "The verification",
      schema: z.object({ verification: VerificationWire }),
    },
    errors: [401, 404],
    handler: async ({ principal, params }) => {
      const view = await leaseVerification(principal, params.id);
      return {
        status: 200,
        body: {
          verification: {
            ...view,
            lastHeartbeatAt: iso(view.lastHeartbeatAt),
            lastProbeAt: iso(view.lastProbeAt),
            uptime: view.uptime.map((stretch) => ({
              ...stretch,
              startAt: stretch.startAt.toISOString(),
              endAt: stretch.endAt.toISOString(),
            })),
            events: view.events.map((event) => ({ ...event, at: event.at.toISOString() })),
          },
        },
      };
    },
  }),
  defineRoute({
    method: "GET",
    path: "/leases/{id}/logs",
    operationId: "getLeaseLogs",
    summary:
      "The workload's log lines as its provider's agent reported them, oldest first. Without `after`: the newest `limit` lines; pass the returned cursor as `after` to follow",
    tag: "verification",
    auth: "apiKey",
    params: IdParams,
    query: z.strictObject({
      after: LogCursor,
      limit: z.coerce.number().int().min(1).max(1000).default(200),
    }),
    success: {
      status: 200,
      description: "Log lines",
      schema: z.object({
        lines: z.array(z.object({ id: z.string(), at: Timestamp, service: z.string(), line: z.string() })),
        cursor: z.string().nullable(),
      }),
    },
    errors: [400, 401, 404],
    handler: async ({ principal, params, query }) => {
      const page = await leaseLogs(principal, params.id, { after: query.after, limit: query.limit });
      return {
        status: 200,
        body: {
          lines: page.lines.map((line) => ({ ...line, at: line.at.toISOString() })),
          cursor: page.cursor,
        },
      };
    },
  }),
  defineRoute({
    method: "GET",
    path: "/provider/verification",
    operationId: "getProviderVerification",
    summary:
      "The provider's verification record: per recent lease, verified against elapsed time and failed checks",
    tag: "verification",
    auth: "apiKey",
    success: {
      status: 200,
      description: "The record",
      schema: z.object({
        leases: z.array(
          z.object({
            leaseId: z.string(),
            leaseState: z.enum(["active", "insufficient_funds", "closed"]),
            closeReason: z.string().nullable(),
            status: WorkloadStatusWire,
            createdAt: Timestamp,
            verifiedSeconds: z.number().int(),
            elapsedSeconds: z.number().int(),
            checks: z.number().int(),
            failedChecks: z.number().int(),
            lastHeartbeatAt: Timestamp.nullable(),
          }),
        ),
        totals: z.object({
          verifiedSeconds: z.number().int(),
          elapsedSeconds: z.number().int(),
          checks: z.number().int(),
          failedChecks: z.number().int(),
          closedUnstable: z.number().int(),
          closedManifestTimeout: z.number().int(),
        }),
      }),
    },
    errors: [401, 403, 409],
    handler: async ({ principal }) => {
      const record = await providerVerificationRecord(principal);
      return {
        status: 200,
        body: {
          leases: record.leases.map((lease) => ({
            ...lease,
            createdAt: lease.createdAt.toISOString(),
            lastHeartbeatAt: iso(lease.lastHeartbeatAt),
          })),
          totals: record.totals,
        },
      };
    },
  }),
];
