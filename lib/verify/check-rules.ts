import type { LeaseCloseReason } from "@/lib/market/types";
import type { LeaseWorkloadStatus, ServiceReport } from "./protocol";

/**
 * The verifier's rules, as functions of data and time. A check of a lease is good when its
 * provider's latest heartbeat is fresh, reports the workload running with every service of
 * the manifest group ready, and the marketplace's own probes of the reported URIs answer.
 * Time between two good checks in a row is verified; any other time is not, and stays with
 * the tenant.
 */
export interface VerifierSettings {
  intervalSeconds: number;
  heartbeatTtlSeconds: number;
  maxFailures: number;
  manifestTimeoutSeconds: number;
}

export interface HeartbeatState {
  status: LeaseWorkloadStatus;
  lastHeartbeatAt: Date | null;
  services: ServiceReport[];
  servicesReady: string[];
  expectedServices: string[];
}

/** Why the heartbeat side of a check fails, or null when it is good. */
export function heartbeatProblem(
  state: HeartbeatState,
  now: Date,
  settings: VerifierSettings,
): string | null {
  if (!state.lastHeartbeatAt) return "no heartbeat from the provider yet";
  const ageSeconds = Math.floor((now.getTime() - state.lastHeartbeatAt.getTime()) / 1000);
  // The reason names the limit, not the age, so a run of failed checks reads as one stretch.
  if (ageSeconds > settings.heartbeatTtlSeconds)
    return `no heartbeat in the last ${settings.heartbeatTtlSeconds} s`;
  if (state.status === "manifest_rejected") return "the provider refused the manifest";
  if (state.status === "failed") return "the provider reports the workload failed";
  const ready = new Set(state.servicesReady);
  const missing = state.expectedServices.filter((name) => !ready.has(name));
  if (missing.length > 0) return `not ready: ${missing.join(", ")}`;
  if (state.expectedServices.length === 0 && state.status !== "running")
    return `the workload is ${state.status}`;
  return null;
}

/** The URIs the verifier probes: every reported URI of an expected service. */
export function probeTargets(state: HeartbeatState): string[] {
  const expected = new Set(state.expectedServices);
  const uris = state.services
    .filter((service) => expected.size === 0 || expected.has(service.name))
    .flatMap((service) => service.uris);
  return [...new Set(uris)];
}

export interface PreviousCheck {
  lastCheckAt: Date | null;
  lastCheckVerified: boolean;
  failureStreak: number;
  firstVerifiedAt: Date | null;
}

export interface CheckOutcome {
  verified: boolean;
  /** Why not, when not verified. */
  reason: string | null;
  /** Verified time this check adds. */
  creditMillis: bigint;
  failureStreak: number;
  firstVerifiedAt: Date | null;
  /** The lease must close, and why. */
  close: Extract<LeaseCloseReason, "unstable" | "manifest_timeout"> | null;
}

/**
 * Folds one check into a lease's record. Only the stretch between two good checks counts, and
 * at most twice the interval of it: if the verifier itself stalled, nobody saw the workload
 * in between, so the tenant does not pay for that time.
 */
export function evaluateCheck(input: {
  now: Date;
  leaseOpenedAt: Date;
  problem: string | null;
  previous: PreviousCheck;
  settings: VerifierSettings;
}): CheckOutcome {
  const { now, previous, settings } = input;
  const verified = input.problem === null;
  let creditMillis = 0n;
  if (verified && previous.lastCheckVerified && previous.lastCheckAt) {
    const elapsed = now.getTime() - previous.lastCheckAt.getTime();
    const cap = settings.intervalSeconds * 2 * 1000;
    creditMillis = BigInt(Math.max(0, Math.min(elapsed, cap)));
  }
  const failureStreak = verified ? 0 : previous.failureStreak + 1;
  const firstVerifiedAt = previous.firstVerifiedAt ?? (verified ? now : null);
  let close: CheckOutcome["close"] = null;
  if (!verified) {
    if (firstVerifiedAt && failureStreak >= settings.maxFailures) close = "unstable";
    const sinceOpen = (now.getTime() - input.leaseOpenedAt.getTime()) / 1000;
    if (!firstVerifiedAt && sinceOpen >= settings.manifestTimeoutSeconds) close = "manifest_timeout";
  }
  return { verified, reason: input.problem, creditMillis, failureStreak, firstVerifiedAt, close };
}

/** Whole seconds a usage receipt may claim: verified time, never past the lease's time on chain. */
export function receiptSeconds(verifiedMillis: bigint, chainElapsedSeconds: number): number {
  return Math.max(0, Math.min(Number(verifiedMillis / 1000n), chainElapsedSeconds));
}
