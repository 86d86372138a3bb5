/** Runs once when the server starts: a sweeper that stores the expiry of orders and bids. */
const SWEEP_INTERVAL_MS = 5_000;

export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { sweepExpired } = await import("@/lib/market/sweep-expired");
  const { logger } = await import("@/lib/logger");
  const timer = setInterval(() => {
    sweepExpired().catch((error: unknown) => logger.warn("sweep of expired orders and bids failed", { error }));
  }, SWEEP_INTERVAL_MS);
  timer.unref();
}
