import type { PrivateKeyAccount } from "viem/accounts";
import { formatUsd } from "@/lib/money";
import {
  MAX_SERVICES,
  MAX_URIS_PER_SERVICE,
  type ServiceReport,
  type WorkloadEvent,
  type WorkloadStatus,
} from "@/lib/verify/protocol";
import { ApiError, type ApiClient } from "./api";
import { acceptedSequenceOf, nextSequence, signHeartbeat } from "./heartbeat";
import { reasonOf, type AgentLog } from "./log";
import { checkManifestVersion, ManifestError, workloadOf } from "./manifest";
import type { AgentLease } from "./market-wire";
import { ReportQueue } from "./report-queue";
import type { Runtime } from "./runtime/runtime";
import { workloadStatusOf, type LeasePhase } from "./workload-status";

/**
 * Runs the leases this provider won: fetches and checks each manifest, deploys it, reports a
 * signed heartbeat per lease every beat, and tears the workload down when the lease ends.
 *
 * A lease is known from the event stream (lease.created / lease.updated) or from the list of
 * active leases read at start and on every resync (adoption after a restart: deploy is
 * idempotent). The agent keeps no state on disk: what the runtime holds for a lease that ended
 * while the agent was away is found by asking the runtime, and removed.
 */
export interface LeaseRunnerOptions {
  api: ApiClient;
  runtime: Runtime;
  account: PrivateKeyAccount;
  providerId: string;
  log: AgentLog;
  now?: () => Date;
}

interface TrackedLease {
  lease: AgentLease;
  phase: LeasePhase;
  /** Failed for a reason a retry may cure (a deploy error): deployed again on the next resync. */
  retryable: boolean;
  everRunning: boolean;
  queue: ReportQueue;
  lastSequence: number;
  lastStatus: WorkloadStatus | null;
  lastFailure: string | null;
  beating: boolean;
  preparing: boolean;
  /** When a failed manifest fetch may be tried again (ms since epoch). */
  nextPrepareAt: number;
  prepareFailures: number;
}

/** Reports sent back to back in one beat when the queue holds more than one report's worth. */
const MAX_REPORTS_PER_BEAT = 5;
const MAX_PREPARE_BACKOFF_MS = 30_000;
/** After a deploy, readiness is polled this often, for at most this long, to report it at once. */
const READY_POLL_MS = 100;
const READY_WATCH_MS = 60_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class LeaseRunner {
  private readonly leases = new Map<string, TrackedLease>();
  /** Leases seen ended: a lease never reopens, so a late or stale event about one is ignored. */
  private readonly ended = new Set<string>();
  private readonly now: () => Date;
  private stopped = false;

  constructor(private readonly options: LeaseRunnerOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** Ids of the leases being run. */
  get leaseIds(): string[] {
    return [...this.leases.keys()];
  }

  /** A lease from an event or a listing: starts it, or stops it when it is no longer active. */
  onLease(lease: AgentLease, source: "event" | "adopted"): void {
    if (this.stopped || lease.providerId !== this.options.providerId || this.ended.has(lease.id)) return;
    const tracked = this.leases.get(lease.id);
    if (lease.state !== "active") {
      void this.stopLease(lease.id, `lease is ${lease.state}`);
      return;
    }
    if (tracked) {
      tracked.lease = lease;
      return;
    }
    this.options.log.info(source === "event" ? "lease won" : "lease adopted", {
      lease: lease.id,
      order: lease.orderId,
      deployment: lease.deploymentId,
      group: lease.groupName,
      price: formatUsd(lease.pricePerHour),
    });
    const entry: TrackedLease = {
      lease,
      phase: "preparing",
      retryable: false,
      everRunning: false,
      queue: new ReportQueue(),
      lastSequence: 0,
      lastStatus: null,
      lastFailure: null,
      beating: false,
      preparing: false,
      nextPrepareAt: 0,
      prepareFailures: 0,
    };
    this.leases.set(lease.id, entry);
    void this.prepare(entry);
  }

  /**
   * Follows the server's list of active leases: adopts the ones not run yet, checks the ones run
   * but not listed (closed while an event was missed), retries failed deploys, and removes the
   * workloads the runtime still holds for leases that ended while the agent was away.
   */
  async reconcile(active: readonly AgentLease[]): Promise<void> {
    const listed = new Set(active.map((lease) => lease.id));
    for (const lease of active) this.onLease(lease, "adopted");
    for (const [id, entry] of this.leases) {
      if (!listed.has(id)) await this.confirmStillActive(id);
      else if (entry.phase === "failed" && entry.retryable && !entry.preparing) {
        entry.phase = "preparing";
        entry.retryable = false;
        void this.prepare(entry);
      }
    }
    await this.removeUnlistedWorkloads(listed);
  }

  /** One heartbeat for every lease; each lease's beats never overlap. */
  async beatAll(): Promise<void> {
    await Promise.all([...this.leases.values()].map((entry) => this.beat(entry)));
  }

  /** Stops reporting; workloads keep running, one mid-deploy too (a restarted agent adopts them). */
  stop(): void {
    this.stopped = true;
    this.leases.clear();
  }

  private async prepare(entry: TrackedLease): Promise<void> {
    if (entry.preparing) return;
    entry.preparing = true;
    try {
      await this.fetchCheckAndDeploy(entry);
    } catch (error) {
      // Nothing above should throw; if it does, the lease reports it rather than the agent crashing.
      this.fail(entry, "AgentError", `the agent could not start the lease: ${reasonOf(error)}`, {
        retryable: true,
      });
    } finally {
      entry.preparing = false;
    }
  }

  private async fetchCheckAndDeploy(entry: TrackedLease): Promise<void> {
    const { lease } = entry;
    const { api, runtime, log } = this.options;
    if (!lease.deploymentId) {
      this.fail(
        entry,
        "NoManifest",
        "the lease's order was posted without a deployment, so there is no manifest to run",
      );
      return;
    }
    let manifest;
    try {
      manifest = await api.getManifest(lease.deploymentId);
    } catch (error) {
      entry.prepareFailures += 1;
      const delayMs = Math.min(MAX_PREPARE_BACKOFF_MS, 1000 * 2 ** (entry.prepareFailures - 1));
      entry.nextPrepareAt = Date.now() + delayMs;
      log.warn("manifest fetch failed; will retry", {
        lease: lease.id,
        error: reasonOf(error),
        retryInMs: delayMs,
      });
      if (entry.prepareFailures === 1) {
        this.record(
          entry,
          "warning",
          "ManifestFetchFailed",
          `could not fetch the manifest: ${reasonOf(error)}`,
        );
      }
      if (error instanceof ApiError && (error.status === 403 || error.status === 404)) {
        await this.confirmStillActive(lease.id);
      }
      return;
    }
    if (!this.leases.has(lease.id)) return;

    // The lease's hash was fixed when the tenant posted the deployment; a server without it
    // (older wire) leaves only the deployment's own hash to compare with.
    const expected = lease.manifestVersion ?? manifest.manifestVersion;
    const check = checkManifestVersion(manifest.manifestJson, expected);
    if (!check.ok) {
      entry.phase = "rejected";
      const message = `manifest hash ${check.actual} does not match the lease's manifest version ${check.expected}; not deploying`;
      log.warn("manifest rejected", { lease: lease.id, expected: check.expected, actual: check.actual });
      this.record(entry, "warning", "ManifestRejected", message);
      return;
    }
    log.info("manifest verified", { lease: lease.id, version: check.version });
    this.record(entry, "normal", "ManifestVerified", `manifest version ${check.version} matches the lease`);

    let workload;
    try {
      workload = workloadOf(manifest.manifestJson, {
        id: lease.id,
        deploymentId: lease.deploymentId,
        groupName: lease.groupName,
        manifestVersion: check.version,
      });
    } catch (error) {
      if (!(error instanceof ManifestError)) throw error;
      this.fail(entry, "ManifestInvalid", error.message);
      return;
    }
    let deployError: unknown = null;
    try {
      await runtime.deploy(workload);
    } catch (error) {
      deployError = error;
    }
    if (this.ended.has(lease.id)) {
      // Ended while deploying: the teardown may have run before the deploy's last step, so undo
      // what the deploy made. Not when the runner merely stopped: that leaves workloads running.
      await runtime.teardown(lease.id).catch(() => {});
      return;
    }
    if (this.leases.get(lease.id) !== entry) return;
    if (deployError !== null) {
      this.fail(entry, "DeployFailed", `deploy failed: ${reasonOf(deployError)}`, { retryable: true });
      return;
    }
    entry.phase = "deployed";
    const names = workload.services.map((service) => `${service.name} x${service.count}`).join(", ");
    log.info("deployed", { lease: lease.id, runtime: runtime.kind, services: names });
    this.record(entry, "normal", "Deployed", `deployed ${names} on the ${runtime.kind} runtime`);
    void this.beatWhenReady(entry);
  }

  /**
   * Reports at once instead of at the next beat: the deploy now, then the moment every service
   * is ready, so the tenant (and the verifier) see the lease running within a fraction of a second.
   */
  private async beatWhenReady(entry: TrackedLease): Promise<void> {
    await this.beat(entry);
    const deadline = Date.now() + READY_WATCH_MS;
    while (Date.now() < deadline && this.leases.get(entry.lease.id) === entry && entry.phase === "deployed") {
      const services = await this.options.runtime.status(entry.lease.id).catch(() => []);
      if (services.length > 0 && services.every((service) => service.ready)) {
        // A beat in flight reports the old status; wait for it, then report the new one.
        while (entry.beating) await sleep(READY_POLL_MS);
        await this.beat(entry);
        return;
      }
      await sleep(READY_POLL_MS);
    }
  }

  private fail(
    entry: TrackedLease,
    reason: string,
    message: string,
    options: { retryable?: boolean } = {},
  ): void {
    entry.phase = "failed";
    entry.retryable = options.retryable ?? false;
    this.options.log.warn("lease failed", { lease: entry.lease.id, reason, message });
    this.record(entry, "warning", reason, message);
  }

  private record(entry: TrackedLease, type: WorkloadEvent["type"], reason: string, message: string): void {
    entry.queue.push([{ at: this.now().toISOString(), type, reason, message }], []);
  }

  private async beat(entry: TrackedLease): Promise<void> {
    if (entry.beating) return;
    entry.beating = true;
    const { api, runtime, account, log } = this.options;
    const leaseId = entry.lease.id;
    try {
      if (entry.phase === "preparing" && !entry.preparing && Date.now() >= entry.nextPrepareAt) {
        void this.prepare(entry);
      }
      let services: ServiceReport[] = [];
      if (entry.phase === "deployed") {
        services = boundedServices(await runtime.status(leaseId));
        const drained = await runtime.drain(leaseId);
        entry.queue.push(drained.events, drained.logs);
      }
      const { status, everRunning } = workloadStatusOf({
        phase: entry.phase,
        services,
        everRunning: entry.everRunning,
      });
      entry.everRunning = everRunning;

      for (let sent = 0; sent < MAX_REPORTS_PER_BEAT; sent += 1) {
        const now = this.now();
        const reservedChars = JSON.stringify({ status, services, events: [], logs: [] }).length;
        const { batch, commit } = entry.queue.peek(reservedChars, now);
        entry.lastSequence = nextSequence(entry.lastSequence, now.getTime());
        const request = await signHeartbeat(account, {
          leaseId,
          sequence: entry.lastSequence,
          timeSeconds: Math.floor(now.getTime() / 1000),
          report: { status, services, events: batch.events, logs: batch.logs },
        });
        await api.postHeartbeat(leaseId, request);
        commit();
        const queued = entry.queue.size;
        if (queued.events + queued.logs === 0) break;
      }
      if (status !== entry.lastStatus) {
        log.info("lease status", {
          lease: leaseId,
          status,
          ready: `${services.filter((s) => s.ready).length}/${services.length}`,
        });
        entry.lastStatus = status;
      }
      entry.lastFailure = null;
    } catch (error) {
      const acceptedSequence =
        error instanceof ApiError && error.status === 409 ? acceptedSequenceOf(error.fields) : null;
      if (acceptedSequence !== null) {
        // The server took a higher sequence than ours (the clock stepped back): continue above it.
        entry.lastSequence = Math.max(entry.lastSequence, acceptedSequence);
      } else if (
        error instanceof ApiError &&
        (error.status === 409 || error.status === 404 || error.status === 403)
      ) {
        await this.confirmStillActive(leaseId);
      }
      const reason = reasonOf(error);
      // One line per distinct failure, not one every beat while the server is away.
      if (reason !== entry.lastFailure)
        log.warn("heartbeat failed; retrying next beat", { lease: leaseId, error: reason });
      entry.lastFailure = reason;
    } finally {
      entry.beating = false;
    }
  }

  /**
   * The runtime's workloads of leases neither listed as active nor run by this runner: each one
   * whose lease the server says is over is torn down. One still active (beyond the listing's
   * page) is adopted. A lease the server cannot be asked about now is left for the next resync.
   */
  private async removeUnlistedWorkloads(listed: ReadonlySet<string>): Promise<void> {
    let held: string[];
    try {
      held = await this.options.runtime.leaseIds();
    } catch (error) {
      this.options.log.warn("could not list the runtime's workloads; the next resync retries", {
        error: reasonOf(error),
      });
      return;
    }
    for (const leaseId of held) {
      if (this.stopped) return;
      if (!listed.has(leaseId) && !this.leases.has(leaseId))
        await this.confirmStillActive(leaseId, { untracked: true });
    }
  }

  /** Asks the server about a lease the agent may have lost track of; stops it if it is over. */
  private async confirmStillActive(leaseId: string, options: { untracked?: boolean } = {}): Promise<void> {
    let lease: AgentLease | null = null;
    try {
      lease = await this.options.api.getLease(leaseId);
    } catch (error) {
      if (!(error instanceof ApiError) || (error.status !== 404 && error.status !== 403)) return;
    }
    if (lease?.state === "active") {
      if (options.untracked) this.onLease(lease, "adopted");
      return;
    }
    await this.stopLease(leaseId, `lease is ${lease?.state ?? "gone"}`, options);
  }

  private async stopLease(
    leaseId: string,
    reason: string,
    options: { untracked?: boolean } = {},
  ): Promise<void> {
    this.ended.add(leaseId);
    const known = this.leases.delete(leaseId);
    try {
      // Idempotent: also cleans up a workload of a lease that ended while the agent was away.
      await this.options.runtime.teardown(leaseId);
      if (known) this.options.log.info("lease closed; workload removed", { lease: leaseId, reason });
      else if (options.untracked)
        this.options.log.info("workload of a lease that ended while the agent was away removed", {
          lease: leaseId,
          reason,
        });
    } catch (error) {
      this.options.log.error("teardown failed", { lease: leaseId, error: reasonOf(error) });
    }
  }
}

function boundedServices(services: ServiceReport[]): ServiceReport[] {
  return services
    .slice(0, MAX_SERVICES)
    .map((service) => ({ ...service, uris: service.uris.slice(0, MAX_URIS_PER_SERVICE) }));
}
