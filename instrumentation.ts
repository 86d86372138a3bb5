/** Runs once when a Next server starts (next start, next dev). */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startBackgroundJobs } = await import("@/app/_lib/background-jobs");
  startBackgroundJobs();
}
