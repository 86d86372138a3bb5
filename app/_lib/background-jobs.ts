import { deleteExpiredIdempotencyRecords } from "@/app/api/v1/_lib/idempotency";
import { logger } from "@/lib/logger";
import { sweepExpired } from "@/lib/market/sweep-expired";

/**
 * Periodic work of a server process: storing the expiry of orders and bids, and pruning
 * idempotency records past their retention. Both are idempotent, so several processes may
 * run them; one process runs them once (a custom server and Next's instrumentation hook
 * may both ask).
 */
const SWEEP_INTERVAL_MS = 5_000;
const IDEMPOTENCY_CLEANUP_INTERVAL_MS = 60 * 60 * 1000;

const globalForJobs = globalThis as unknown as { bidcloudJobsStarted?: boolean };

export function startBackgroundJobs(): void {
  if (globalForJobs.bidcloudJobsStarted) return;
  globalForJobs.bidcloudJobsStarted = true;
  setInterval(() => {
    sweepExpired().catch((error: unknown) =>
      logger.warn("sweep of expired orders and bids failed", { error }),
    );
  }, SWEEP_INTERVAL_MS).unref();
  setInterval(() => {
    deleteExpiredIdempotencyRecords().catch((error: unknown) =>
      logger.warn("clean-up of idempotency records failed", { error }),
    );
  }, IDEMPOTENCY_CLEANUP_INTERVAL_MS).unref();
}
