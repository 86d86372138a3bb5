import { z } from "zod";
import type { Principal } from "@/lib/auth/principal";
import { db, type Db } from "@/lib/db";
import { env } from "@/lib/env";
import { AppError, validationError, type FieldError } from "@/lib/errors";
import { marketTransaction } from "@/lib/market/market-transaction";
import { findLease, findProviderById } from "@/lib/market/market.repository";
import { leaseToWire } from "@/lib/market/wire-format";
import { WorkloadReportSchema, type HeartbeatRequest, type WorkloadReport } from "./protocol";
import { heartbeatSigner, reportHashOf } from "@/lib/chain/evm/verifier-signatures";
import { probeHostAllowed } from "./check-rules";
import { ensureVerification } from "./verification.repository";

export interface HeartbeatReceipt {
  accepted: true;
  sequence: number;
}

/**
 * Takes one signed heartbeat of a lease's provider agent, with the report it signs. Refused,
 * changing nothing, unless: the caller is the lease's provider, the lease is live, the
 * signature recovers to the provider's registered signing key, the report is the one signed,
 * the agent's time is within HEARTBEAT_MAX_SKEW_SECONDS of ours, and the sequence number is
 * above every one accepted before (so a captured heartbeat cannot be replayed).
 */
export async function acceptHeartbeat(
  principal: Principal,
  leaseId: string,
  request: HeartbeatRequest,
  now = new Date(),
): Promise<HeartbeatReceipt> {
  const { heartbeat, signature } = request;
  if (heartbeat.leaseId !== leaseId) {
    throw validationError("heartbeat.leaseId", "must be the lease in the path");
  }
  const lease = await findLease(db(), leaseId);
  if (!lease) throw new AppError("NOT_FOUND", "no lease with this id");
  if (lease.provider.accountId !== principal.accountId) {
    throw new AppError("FORBIDDEN", "only the lease's provider can send its heartbeats");
  }
  const provider = await findProviderById(db(), lease.providerId);
  if (!provider?.signingAddress) {
    throw new AppError("CONFLICT", "register a signing key first (PUT /api/v1/provider/signing-key)", {
      fields: [{ path: "signature", message: "no signing key is registered for this provider" }],
    });
  }
  const signer = await heartbeatSigner(heartbeat, signature);
  if (signer !== provider.signingAddress) {
    throw new AppError("FORBIDDEN", "signature: not signed by the provider's registered signing key", {
      fields: [{ path: "signature", message: "not signed by the provider's registered signing key" }],
    });
  }
  if (reportHashOf(request.report) !== heartbeat.reportHash.toLowerCase()) {
    throw validationError("report", "does not match heartbeat.reportHash");
  }
  const report = parseReport(request.report);
  report.services.forEach((service, index) =>
    service.uris.forEach((uri, uriIndex) => {
      if (!probeHostAllowed(uri, lease.provider.hostUri, env().VERIFIER_ALLOW_LOOPBACK)) {
        throw validationError(
          `report.services.${index}.uris.${uriIndex}`,
          `must be on the provider's host or domain (${new URL(lease.provider.hostUri).hostname}) for the marketplace to probe it`,
        );
      }
    }),
  );
  const readyNames = new Set(
    report.services.filter((service) => service.ready).map((service) => service.name),
  );
  const notReady = heartbeat.servicesReady.filter((name) => !readyNames.has(name));
  if (notReady.length > 0) {
    throw validationError("heartbeat.servicesReady", `not ready in the report: ${notReady.join(", ")}`);
  }
  const skew = Math.abs(Math.floor(now.getTime() / 1000) - heartbeat.time);
  if (skew > env().HEARTBEAT_MAX_SKEW_SECONDS) {
    throw validationError(
      "heartbeat.time",
      `is ${skew} s away from the marketplace's clock (at most ${env().HEARTBEAT_MAX_SKEW_SECONDS} s)`,
    );
  }
  if (lease.state === "closed") {
    throw new AppError("INVALID_STATE", "the lease is closed: stop its workload", {
      fields: [{ path: "leaseId", message: "the lease is closed" }],
    });
  }

  await ensureVerification(db(), lease);
  await marketTransaction(async (tx, emit) => {
    // The lease row under a share lock: a close that committed first is seen here, and one that
    // comes after waits, so no heartbeat is taken (or published as "active") after a close.
    const [leaseRow] = await tx.$queryRaw<{ state: string }[]>`
      SELECT state::text AS state FROM lease WHERE id = ${leaseId} FOR SHARE`;
    if (leaseRow?.state === "closed") {
      throw new AppError("INVALID_STATE", "the lease is closed: stop its workload", {
        fields: [{ path: "leaseId", message: "the lease is closed" }],
      });
    }
    const [current] = await tx.$queryRaw<{ lastSequence: bigint; status: string; services: unknown }[]>`
      SELECT "lastSequence", status::text AS status, services FROM lease_verification
      WHERE "leaseId" = ${leaseId} FOR UPDATE`;
    if (!current) throw new AppError("NOT_FOUND", "no lease with this id");
    if (BigInt(heartbeat.sequence) <= current.lastSequence) {
      throw new AppError("CONFLICT", "heartbeat.sequence: not above the last accepted one (replayed?)", {
        fields: [{ path: "heartbeat.sequence", message: `must be above ${current.lastSequence}` }],
      });
    }
    await tx.leaseVerification.update({
      where: { leaseId },
      data: {
        lastSequence: BigInt(heartbeat.sequence),
        lastHeartbeatAt: now,
        lastAgentTime: new Date(heartbeat.time * 1000),
        heartbeatCount: { increment: 1 },
        status: report.status,
        services: report.services,
        servicesReady: heartbeat.servicesReady,
      },
    });
    await recordReport(tx, leaseId, report);
    const changed =
      current.status !== report.status ||
      JSON.stringify(current.services) !== JSON.stringify(report.services);
    if (changed) {
      const updated = await findLease(tx, leaseId);
      if (updated) {
        await emit({
          type: "lease.updated",
          entityId: leaseId,
          audience: [updated.tenantId, updated.provider.accountId],
          payload: leaseToWire(updated),
        });
      }
    }
  });
  return { accepted: true, sequence: heartbeat.sequence };
}

function parseReport(text: string): WorkloadReport {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw validationError("report", "must be JSON text");
  }
  const parsed = WorkloadReportSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const fields: FieldError[] = parsed.error.issues.map((issue) => ({
    path: ["report", ...issue.path.map(String)].join("."),
    message: issue.message,
  }));
  throw new AppError("VALIDATION", `${fields[0]!.path}: ${fields[0]!.message}`, { fields });
}

/** The report's events and log lines; only the newest LEASE_LOG_LINES lines of a lease are kept. */
async function recordReport(tx: Db, leaseId: string, report: WorkloadReport): Promise<void> {
  if (report.events.length > 0) {
    await tx.leaseEvent.createMany({
      data: report.events.map((event) => ({
        leaseId,
        at: new Date(event.at),
        source: "provider",
        type: event.type,
        reason: event.reason,
        message: event.message,
        service: event.service ?? null,
      })),
    });
  }
  if (report.logs.length > 0) {
    await tx.leaseLog.createMany({
      data: report.logs.map((log) => ({
        leaseId,
        at: new Date(log.at),
        service: log.service,
        line: log.line,
      })),
    });
    const keep = env().LEASE_LOG_LINES;
    await tx.$executeRaw`
      DELETE FROM lease_log WHERE "leaseId" = ${leaseId} AND id <= (
        SELECT id FROM lease_log WHERE "leaseId" = ${leaseId} ORDER BY id DESC OFFSET ${keep} LIMIT 1)`;
  }
}

export const HeartbeatReceiptSchema = z.object({ accepted: z.literal(true), sequence: z.number().int() });
