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
  /** Expected services exposed globally: each must report a URI to probe. */
  globalServices: string[];
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
  // A globally exposed service is verified by probing it: without a URI there is nothing to see.
  const withUri = new Set(
    state.services.filter((service) => service.uris.length > 0).map((service) => service.name),
  );
  const unreachable = state.globalServices.filter((name) => !withUri.has(name));
  if (unreachable.length > 0) return `no URI reported for ${unreachable.join(", ")}`;
  if (state.expectedServices.length === 0 && state.status !== "running")
    return `the workload is ${state.status}`;
  return null;
}

/** At most this many URIs are probed per lease and check. */
export const MAX_PROBES_PER_LEASE = 16;

/** The URIs the verifier probes: the reported URIs of the expected services, each once. */
export function probeTargets(state: HeartbeatState): string[] {
  const expected = new Set(state.expectedServices);
  const uris = state.services
    .filter((service) => expected.size === 0 || expected.has(service.name))
    .flatMap((service) => service.uris);
  return [...new Set(uris)].slice(0, MAX_PROBES_PER_LEASE);
}

/**
 * Whether the verifier may probe a URI a provider reported: its host must be the provider's
 * registered host or under the same domain (provider.example.com → *.example.com), so a
 * provider cannot point the verifier at somebody else's server (which would answer, and be
 * paid for) or at the marketplace's own network. Loopback addresses only when allowed (a
 * single-machine setup such as the demo); other IP literals only when they are the
 * provider's host itself.
 */
export function probeHostAllowed(uri: string, providerHostUri: string, allowLoopback: boolean): boolean {
  let host: string;
  let providerHost: string;
  try {
    host = new URL(uri).hostname.toLowerCase();
    providerHost = new URL(providerHostUri).hostname.toLowerCase();
  } catch {
    return false;
  }
  if (isLoopback(host)) return allowLoopback;
  if (host === providerHost) return true;
  if (isIpLiteral(host) || isIpLiteral(providerHost)) return false;
  const labels = providerHost.split(".");
  const domain = labels.length > 2 ? labels.slice(1).join(".") : providerHost;
  return host.endsWith(`.${domain}`);
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "[::1]" || /^127(\.\d{1,3}){3}$/.test(host);
}

function isIpLiteral(host: string): boolean {
  return host.startsWith("[") || /^\d{1,3}(\.\d{1,3}){3}$/.test(host);
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

/** Verified time in whole seconds (rounded down: a part second is not paid). */
export function verifiedSecondsOf(verifiedMillis: bigint): number {
  return Number(verifiedMillis / 1000n);
}

/** Whole seconds a usage receipt may claim: verified time, never past the lease's time on chain. */
export function receiptSeconds(verifiedMillis: bigint, chainElapsedSeconds: number): number {
  return Math.max(0, Math.min(verifiedSecondsOf(verifiedMillis), chainElapsedSeconds));
}

/** Seconds a lease has lived: from its opening to its close, or to now. */
export function leaseLifeSeconds(lease: { createdAt: Date; closedAt: Date | null }, now: Date): number {
  return Math.max(0, Math.floor(((lease.closedAt ?? now).getTime() - lease.createdAt.getTime()) / 1000));
}
