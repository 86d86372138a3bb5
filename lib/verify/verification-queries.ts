import { isAdmin, type Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { findLease, type LeaseRecord } from "@/lib/market/market.repository";
import { requireProvider } from "@/lib/market/provider-context";
import { leaseLifeSeconds, verifiedSecondsOf } from "./check-rules";
import { storedServices, type LeaseWorkloadStatus, type ServiceReport } from "./protocol";

export interface UptimeStretch {
  startAt: Date;
  endAt: Date;
  verified: boolean;
  reason: string | null;
}

export interface LeaseEventView {
  id: string;
  at: Date;
  source: string;
  type: string;
  reason: string;
  message: string;
  service: string | null;
}

export interface LeaseVerificationView {
  leaseId: string;
  leaseState: LeaseRecord["state"];
  status: LeaseWorkloadStatus;
  services: ServiceReport[];
  /** Verified seconds, and seconds the lease has lived (open to close, or to now). */
  verifiedSeconds: number;
  elapsedSeconds: number;
  lastHeartbeatAt: Date | null;
  lastProbeAt: Date | null;
  lastProbeOk: boolean | null;
  checks: number;
  failedChecks: number;
  uptime: UptimeStretch[];
  events: LeaseEventView[];
}

const EVENTS_SHOWN = 200;

/** A lease's verification for its tenant, its provider or an admin: status, URIs, uptime record and events. */
export async function leaseVerification(
  principal: Principal,
  leaseId: string,
  now = new Date(),
): Promise<LeaseVerificationView> {
  const lease = await leaseOfParty(principal, leaseId);
  const [row, uptime, events] = await Promise.all([
    db().leaseVerification.findUnique({ where: { leaseId } }),
    db().leaseUptime.findMany({ where: { leaseId }, orderBy: { startAt: "asc" } }),
    db().leaseEvent.findMany({ where: { leaseId }, orderBy: { id: "desc" }, take: EVENTS_SHOWN }),
  ]);
  return {
    leaseId,
    leaseState: lease.state,
    status: row?.status ?? "pending",
    services: storedServices(row?.services),
    verifiedSeconds: verifiedSecondsOf(row?.verifiedMillis ?? 0n),
    elapsedSeconds: leaseLifeSeconds(lease, now),
    lastHeartbeatAt: row?.lastHeartbeatAt ?? null,
    lastProbeAt: row?.lastProbeAt ?? null,
    lastProbeOk: row?.lastProbeOk ?? null,
    checks: row?.checkCount ?? 0,
    failedChecks: row?.failedCheckCount ?? 0,
    uptime: uptime.map(({ startAt, endAt, verified, reason }) => ({ startAt, endAt, verified, reason })),
    events: events.map((event) => ({ ...event, id: event.id.toString() })),
  };
}

export interface LeaseLogPage {
  lines: Array<{ id: string; at: Date; service: string; line: string }>;
  /** Pass as `after` to get the lines that come next. */
  cursor: string | null;
}

/** A lease's log lines after a cursor (oldest first); the first page is the newest `limit` lines. */
export async function leaseLogs(
  principal: Principal,
  leaseId: string,
  options: { after?: string; limit: number },
): Promise<LeaseLogPage> {
  await leaseOfParty(principal, leaseId);
  const after = options.after === undefined ? null : BigInt(options.after);
  const rows =
    after === null
      ? (
          await db().leaseLog.findMany({ where: { leaseId }, orderBy: { id: "desc" }, take: options.limit })
        ).reverse()
      : await db().leaseLog.findMany({
          where: { leaseId, id: { gt: after } },
          orderBy: { id: "asc" },
          take: options.limit,
        });
  const last = rows.at(-1);
  return {
    lines: rows.map((row) => ({ id: row.id.toString(), at: row.at, service: row.service, line: row.line })),
    cursor: last ? last.id.toString() : (options.after ?? null),
  };
}

export interface ProviderVerificationRow {
  leaseId: string;
  leaseState: LeaseRecord["state"];
  closeReason: LeaseRecord["closeReason"];
  status: LeaseWorkloadStatus;
  createdAt: Date;
  verifiedSeconds: number;
  elapsedSeconds: number;
  checks: number;
  failedChecks: number;
  lastHeartbeatAt: Date | null;
}

export interface ProviderVerificationRecord {
  leases: ProviderVerificationRow[];
  totals: {
    verifiedSeconds: number;
    elapsedSeconds: number;
    checks: number;
    failedChecks: number;
    closedUnstable: number;
    closedManifestTimeout: number;
  };
}

/** The provider's verification record: per recent lease, verified against elapsed time and failed checks. */
export async function providerVerificationRecord(
  principal: Principal,
  now = new Date(),
  take = 50,
): Promise<ProviderVerificationRecord> {
  const provider = await requireProvider(db(), principal);
  const rows = await db().lease.findMany({
    where: { providerId: provider.id },
    orderBy: { createdAt: "desc" },
    take,
    select: {
      id: true,
      state: true,
      closeReason: true,
      createdAt: true,
      closedAt: true,
      verification: {
        select: {
          status: true,
          verifiedMillis: true,
          checkCount: true,
          failedCheckCount: true,
          lastHeartbeatAt: true,
        },
      },
    },
  });
  const leases = rows.map((row) => ({
    leaseId: row.id,
    leaseState: row.state,
    closeReason: row.closeReason,
    status: row.verification?.status ?? "pending",
    createdAt: row.createdAt,
    verifiedSeconds: verifiedSecondsOf(row.verification?.verifiedMillis ?? 0n),
    elapsedSeconds: leaseLifeSeconds(row, now),
    checks: row.verification?.checkCount ?? 0,
    failedChecks: row.verification?.failedCheckCount ?? 0,
    lastHeartbeatAt: row.verification?.lastHeartbeatAt ?? null,
  }));
  const [unstable, timeouts] = await Promise.all([
    db().lease.count({ where: { providerId: provider.id, closeReason: "unstable" } }),
    db().lease.count({ where: { providerId: provider.id, closeReason: "manifest_timeout" } }),
  ]);
  return {
    leases,
    totals: {
      verifiedSeconds: leases.reduce((sum, lease) => sum + lease.verifiedSeconds, 0),
      elapsedSeconds: leases.reduce((sum, lease) => sum + lease.elapsedSeconds, 0),
      checks: leases.reduce((sum, lease) => sum + lease.checks, 0),
      failedChecks: leases.reduce((sum, lease) => sum + lease.failedChecks, 0),
      closedUnstable: unstable,
      closedManifestTimeout: timeouts,
    },
  };
}

async function leaseOfParty(principal: Principal, leaseId: string): Promise<LeaseRecord> {
  const lease = await findLease(db(), leaseId);
  if (!lease) throw new AppError("NOT_FOUND", "no lease with this id");
  const party =
    lease.tenantId === principal.accountId ||
    lease.provider.accountId === principal.accountId ||
    isAdmin(principal);
  if (!party) throw new AppError("NOT_FOUND", "no lease with this id");
  return lease;
}
