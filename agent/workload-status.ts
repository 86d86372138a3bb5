import type { ServiceReport, WorkloadStatus } from "@/lib/verify/protocol";

/**
 * Where the agent is with a lease: still getting its manifest, deployed to the runtime, or
 * refused (manifest hash mismatch) or failed (no manifest, unreadable manifest, deploy error).
 */
export type LeasePhase = "preparing" | "deployed" | "rejected" | "failed";

/**
 * The status a report carries: "deploying" until every service is ready, then "running";
 * "degraded" once it ran and a service stopped being ready. `everRunning` is the state carried
 * from one report to the next.
 */
export function workloadStatusOf(input: {
  phase: LeasePhase;
  services: readonly ServiceReport[];
  everRunning: boolean;
}): { status: WorkloadStatus; everRunning: boolean } {
  const { phase, services, everRunning } = input;
  if (phase === "rejected") return { status: "manifest_rejected", everRunning };
  if (phase === "failed") return { status: "failed", everRunning };
  if (phase === "preparing") return { status: "deploying", everRunning };
  const allReady = services.length > 0 && services.every((service) => service.ready);
  if (allReady) return { status: "running", everRunning: true };
  return { status: everRunning ? "degraded" : "deploying", everRunning };
}
