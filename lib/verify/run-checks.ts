import { db, transaction, type Db } from "@/lib/db";
import { env } from "@/lib/env";
import { isAppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { closeLeaseLocked } from "@/lib/market/close-lease";
import { marketTransaction } from "@/lib/market/market-transaction";
import { findLease, lockOrder } from "@/lib/market/market.repository";
import {
  evaluateCheck,
  heartbeatProblem,
  probeTargets,
  type CheckOutcome,
  type VerifierSettings,
} from "./check-rules";
import { probeUris } from "./probes";
import { storedServices } from "./protocol";
import { ensureVerification, listLeasesToCheck, type VerificationRow } from "./verification.repository";

export function verifierSettings(): VerifierSettings & { probeTimeoutMs: number } {
  const e = env();
  return {
    intervalSeconds: e.VERIFY_INTERVAL_SECONDS,
    heartbeatTtlSeconds: e.HEARTBEAT_TTL_SECONDS,
    maxFailures: e.VERIFIER_MAX_FAILURES,
    manifestTimeoutSeconds: e.MANIFEST_TIMEOUT_SECONDS,
    probeTimeoutMs: e.PROBE_TIMEOUT_MS,
  };
}

export interface CheckRound {
  checked: number;
  verified: number;
  closed: number;
}

const PROBE_CONCURRENCY = 16;

/**
 * One round of the verifier over every live lease: heartbeat fresh and services ready, then
 * probes of the reported URIs, folded into the lease's verified time, uptime record and
 * events; a lease that failed too often closes as unstable, one that never ran closes as
 * manifest_timeout. Every server process runs rounds on its own timer; each lease's record is
 * guarded by its last check time, so overlapping rounds count a stretch once, and a lease
 * checked less than half an interval ago is left alone.
 * `only` limits a round to some leases (a targeted re-check; tests sharing a database).
 */
export async function runVerifierChecks(
  now = new Date(),
  settings = verifierSettings(),
  options: { only?: string[] } = {},
): Promise<CheckRound> {
  const leases = await listLeasesToCheck(db(), options.only);
  const round: CheckRound = { checked: 0, verified: 0, closed: 0 };
  for (let start = 0; start < leases.length; start += PROBE_CONCURRENCY) {
    await Promise.all(
      leases.slice(start, start + PROBE_CONCURRENCY).map(async (lease) => {
        try {
          const outcome = await checkLease(lease.id, lease.createdAt, lease.verification, now, settings);
          if (!outcome) return;
          round.checked++;
          if (outcome.verified) round.verified++;
          if (outcome.close && (await closeByVerifier(lease.id, outcome.close, now))) round.closed++;
        } catch (error) {
          logger.warn("verifier check of a lease failed", { leaseId: lease.id, error });
        }
      }),
    );
  }
  return round;
}

async function checkLease(
  leaseId: string,
  openedAt: Date,
  loaded: VerificationRow | null,
  now: Date,
  settings: VerifierSettings & { probeTimeoutMs: number },
): Promise<CheckOutcome | null> {
  let row = loaded;
  if (!row) {
    const lease = await findLease(db(), leaseId);
    if (!lease) return null;
    await ensureVerification(db(), lease);
    row = await db().leaseVerification.findUnique({ where: { leaseId } });
    if (!row) return null;
  }
  const state = {
    status: row.status,
    lastHeartbeatAt: row.lastHeartbeatAt,
    services: storedServices(row.services),
    servicesReady: row.servicesReady,
    expectedServices: row.expectedServices,
    globalServices: row.globalServices,
  };
  // Every server runs rounds on its own timer: a lease another one checked just now is left
  // alone, so failures are counted per interval, not per server.
  if (row.lastCheckAt && now.getTime() - row.lastCheckAt.getTime() < (settings.intervalSeconds * 1000) / 2) {
    return null;
  }
  let problem = heartbeatProblem(state, now, settings);
  let probed: boolean | null = null;
  if (!problem) {
    const probe = await probeUris(probeTargets(state), settings.probeTimeoutMs);
    probed = probe.ok;
    if (!probe.ok) problem = `probe failed: ${probe.detail}`;
  }
  const outcome = evaluateCheck({ now, leaseOpenedAt: openedAt, problem, previous: row, settings });
  const written = await transaction(async (tx) => {
    // Guarded by the previous check's time: a round that overlapped this one has already counted it.
    const { count } = await tx.leaseVerification.updateMany({
      where: { leaseId, lastCheckAt: row.lastCheckAt },
      data: {
        lastCheckAt: now,
        lastCheckVerified: outcome.verified,
        failureStreak: outcome.failureStreak,
        firstVerifiedAt: outcome.firstVerifiedAt,
        verifiedMillis: { increment: outcome.creditMillis },
        checkCount: { increment: 1 },
        failedCheckCount: { increment: outcome.verified ? 0 : 1 },
        ...(probed === null ? {} : { lastProbeAt: now, lastProbeOk: probed }),
      },
    });
    if (count === 0) return false;
    await recordUptime(tx, leaseId, row.lastCheckAt ?? openedAt, now, outcome);
    if (outcome.verified !== row.lastCheckVerified || row.checkCount === 0) {
      await tx.leaseEvent.create({
        data: {
          leaseId,
          at: now,
          source: "verifier",
          type: outcome.verified ? "normal" : "warning",
          reason: outcome.verified ? "Verified" : "VerificationFailed",
          message: outcome.verified
            ? "Heartbeat and probes good: this time is paid"
            : `${outcome.reason}: this time is not paid`,
        },
      });
    }
    return true;
  });
  return written ? outcome : null;
}

/** Extends the last stretch of the uptime record when it has the same outcome, or starts a new one. */
async function recordUptime(tx: Db, leaseId: string, since: Date, now: Date, outcome: CheckOutcome) {
  const last = await tx.leaseUptime.findFirst({ where: { leaseId }, orderBy: { startAt: "desc" } });
  if (last && last.verified === outcome.verified && last.reason === outcome.reason) {
    await tx.leaseUptime.update({ where: { id: last.id }, data: { endAt: now } });
    return;
  }
  await tx.leaseUptime.create({
    data: {
      leaseId,
      startAt: last ? last.endAt : since,
      endAt: now,
      verified: outcome.verified,
      reason: outcome.reason,
    },
  });
}

/** Closes a lease for the verifier; false when someone else closed it first. */
async function closeByVerifier(
  leaseId: string,
  reason: "unstable" | "manifest_timeout",
  now: Date,
): Promise<boolean> {
  try {
    const closed = await marketTransaction(async (tx, emit) => {
      const found = await findLease(tx, leaseId);
      if (!found) return false;
      await lockOrder(tx, found.orderId);
      const lease = await findLease(tx, leaseId);
      if (!lease || lease.state === "closed") return false;
      await closeLeaseLocked(tx, emit, lease, reason, now);
      await tx.leaseEvent.create({
        data: {
          leaseId,
          at: now,
          source: "verifier",
          type: "warning",
          reason: reason === "unstable" ? "ClosedUnstable" : "ClosedManifestTimeout",
          message:
            reason === "unstable"
              ? "Closed by the verifier after repeated failed checks; unverified time is refunded"
              : "Closed by the verifier: nothing was verified running in time; the escrow is refunded",
        },
      });
      return true;
    });
    if (closed) logger.info("verifier closed a lease", { leaseId, reason });
    return closed;
  } catch (error) {
    if (isAppError(error)) return false;
    throw error;
  }
}
