/**
 * Runs once when the server starts: a sweeper that stores the expiry of orders and bids,
 * and an hourly clean-up of idempotency records past their retention.
 */
const SWEEP_INTERVAL_MS = 5_000;
const IDEMPOTENCY_CLEANUP_INTERVAL_MS = 60 * 60 * 1000;

export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { sweepExpired } = await import("@/lib/market/sweep-expired");
  const { deleteExpiredIdempotencyRecords } = await import("@/app/api/v1/_lib/idempotency");
  const { logger } = await import("@/lib/logger");
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
