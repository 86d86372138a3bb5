import { deleteExpiredIdempotencyRecords } from "@/app/api/v1/_lib/idempotency";
import { grantConfiguredAdmins } from "@/lib/accounts/grant-configured-admins";
import { runAutoAccept } from "@/lib/deployments/auto-accept";
import { pruneSiweNonces } from "@/lib/accounts/prune-siwe-nonces";
import { logger } from "@/lib/logger";
import { sweepExpired } from "@/lib/market/sweep-expired";
import { startChainJobs } from "@/lib/chain/jobs";
import { chainRuntime } from "@/lib/chain/runtime";
import { env } from "@/lib/env";
import { runVerifierChecks } from "@/lib/verify/run-checks";

/**
 * Work of a server process: granting the admin role that ADMIN_EMAILS names (at start),
 * storing the expiry of orders and bids, accepting bids for auto-accepting deployments
 * (every second), the verifier's checks of running leases (every VERIFY_INTERVAL_SECONDS),
 * and pruning idempotency records and sign-in nonces. All are idempotent, so several
 * processes may run them (a lease's check is counted once, guarded by its last check time);
 * one process runs them once (a custom server and Next's instrumentation hook may both ask).
 */
const SWEEP_INTERVAL_MS = 5_000;
const AUTO_ACCEPT_INTERVAL_MS = 1_000;
const CLEANUP_INTERVAL_MS = 60 * 60 * 1000;

const globalForJobs = globalThis as unknown as { bidcloudJobsStarted?: boolean };

export function startBackgroundJobs(): void {
  if (globalForJobs.bidcloudJobsStarted) return;
  globalForJobs.bidcloudJobsStarted = true;
  grantConfiguredAdmins().then(
    (granted) => granted.length && logger.info("granted the admin role named by ADMIN_EMAILS", { granted }),
    (error: unknown) => logger.warn("could not grant the admin role named by ADMIN_EMAILS", { error }),
  );
  setInterval(() => {
    sweepExpired().catch((error: unknown) =>
      logger.warn("sweep of expired orders and bids failed", { error }),
    );
  }, SWEEP_INTERVAL_MS).unref();
  let autoAccepting = false;
  setInterval(() => {
    if (autoAccepting) return;
    autoAccepting = true;
    runAutoAccept()
      .then(
        (leases) => leases.length && logger.info("auto-accepted bids", { leases: leases.map((l) => l.id) }),
      )
      .catch((error: unknown) => logger.warn("auto-accept failed", { error }))
      .finally(() => {
        autoAccepting = false;
      });
  }, AUTO_ACCEPT_INTERVAL_MS).unref();
  let verifying = false;
  setInterval(() => {
    if (verifying) return;
    verifying = true;
    runVerifierChecks()
      .then((round) => round.closed && logger.info("verifier closed leases", { ...round }))
      .catch((error: unknown) => logger.warn("verifier round failed", { error }))
      .finally(() => {
        verifying = false;
      });
  }, env().VERIFY_INTERVAL_SECONDS * 1000).unref();
  const runtime = chainRuntime();
  if (runtime) {
    startChainJobs(runtime).then(
      () =>
        logger.info("chain outbox, indexer and settlement running", { chainId: runtime.settings.chainId }),
      (error: unknown) => logger.error("could not start the chain jobs", { error }),
    );
  }
  setInterval(() => {
    deleteExpiredIdempotencyRecords().catch((error: unknown) =>
      logger.warn("clean-up of idempotency records failed", { error }),
    );
    pruneSiweNonces().catch((error: unknown) => logger.warn("clean-up of sign-in nonces failed", { error }));
  }, CLEANUP_INTERVAL_MS).unref();
}
