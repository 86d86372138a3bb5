import { fileURLToPath } from "node:url";
import type { LogLine, ServiceReport, WorkloadEvent } from "@/lib/verify/protocol";
import type { LeaseWorkload, Runtime } from "../runtime";
import { freePort } from "./free-port";
import { ServiceProcess, type ServicePort } from "./service-process";

/**
 * The local runtime: each service of a lease is a local process running the stand-in workload
 * (stand-in-workload.mjs), listening on free ports of `host`, one per exposed TCP port. For the
 * demo and tests; production runs the Kubernetes runtime.
 *
 * The processes are children of the agent and exit when it does (their stdin closes): a
 * restarted agent adopts its live leases and deploys them again, on new ports.
 */
export interface LocalRuntimeOptions {
  /** Address the workloads listen on (default 127.0.0.1). */
  host?: string;
  /** Host name in the reported URIs (default: host, or 127.0.0.1 for 0.0.0.0). */
  publicHost?: string;
  probeIntervalMs?: number;
  minRestartDelayMs?: number;
  maxRestartDelayMs?: number;
  /** Log lines kept per lease between two drains; older ones are dropped first. */
  maxBufferedLogLines?: number;
}

export interface LocalRuntime extends Runtime {
  readonly kind: "local";
  /** The process id of each service of a lease (null while it restarts), for operators and tests. */
  processIds(leaseId: string): Record<string, number | null>;
}

interface LocalLease {
  workload: LeaseWorkload;
  services: ServiceProcess[];
  events: WorkloadEvent[];
  logs: LogLine[];
  droppedLogLines: number;
}

const STAND_IN_SCRIPT = fileURLToPath(new URL("./stand-in-workload.mjs", import.meta.url));
const DEFAULT_MAX_BUFFERED_LOG_LINES = 2_000;

export function createLocalRuntime(options: LocalRuntimeOptions = {}): LocalRuntime {
  const host = options.host ?? "127.0.0.1";
  const publicHost = options.publicHost ?? (host === "0.0.0.0" ? "127.0.0.1" : host);
  const maxBufferedLogLines = options.maxBufferedLogLines ?? DEFAULT_MAX_BUFFERED_LOG_LINES;
  const leases = new Map<string, LocalLease>();
  /** Operations on one lease run one after another, so a deploy and a teardown never interleave. */
  const queues = new Map<string, Promise<unknown>>();

  function serialized<T>(leaseId: string, operation: () => Promise<T>): Promise<T> {
    const previous = queues.get(leaseId) ?? Promise.resolve();
    const next = previous.then(operation, operation);
    const settled = next.catch(() => {});
    queues.set(leaseId, settled);
    void settled.then(() => {
      if (queues.get(leaseId) === settled) queues.delete(leaseId);
    });
    return next;
  }

  async function stopLease(leaseId: string): Promise<void> {
    const lease = leases.get(leaseId);
    if (!lease) return;
    leases.delete(leaseId);
    await Promise.all(lease.services.map((service) => service.stop()));
  }

  async function start(workload: LeaseWorkload): Promise<void> {
    const lease: LocalLease = { workload, services: [], events: [], logs: [], droppedLogLines: 0 };
    const onEvent = (event: WorkloadEvent) => lease.events.push(event);
    const onLog = (line: LogLine) => {
      lease.logs.push(line);
      if (lease.logs.length > maxBufferedLogLines) {
        lease.droppedLogLines += lease.logs.length - maxBufferedLogLines;
        lease.logs.splice(0, lease.logs.length - maxBufferedLogLines);
      }
    };
    for (const service of workload.services) {
      const ports: ServicePort[] = [];
      for (const exposed of service.expose) {
        if (exposed.proto !== "TCP") {
          onEvent({
            at: new Date().toISOString(),
            type: "warning",
            reason: "UnsupportedProtocol",
            message: `port ${exposed.port}/${exposed.proto} is not served by the local runtime`,
            service: service.name,
          });
          continue;
        }
        ports.push({ exposed, hostPort: await freePort(host) });
      }
      // A service that exposes nothing still gets a port: readiness is its /health.
      if (ports.length === 0) ports.push({ exposed: null, hostPort: await freePort(host) });
      lease.services.push(
        new ServiceProcess({
          leaseId: workload.leaseId,
          service,
          ports,
          host,
          publicHost,
          scriptPath: STAND_IN_SCRIPT,
          onEvent,
          onLog,
          probeIntervalMs: options.probeIntervalMs,
          minRestartDelayMs: options.minRestartDelayMs,
          maxRestartDelayMs: options.maxRestartDelayMs,
        }),
      );
    }
    leases.set(workload.leaseId, lease);
    for (const service of lease.services) service.start();
  }

  return {
    kind: "local",

    processIds: (leaseId) =>
      Object.fromEntries(leases.get(leaseId)?.services.map((service) => [service.name, service.pid]) ?? []),

    deploy: (workload) =>
      serialized(workload.leaseId, async () => {
        const current = leases.get(workload.leaseId);
        if (current && current.workload.manifestVersion === workload.manifestVersion) return;
        await stopLease(workload.leaseId);
        await start(workload);
      }),

    async status(leaseId): Promise<ServiceReport[]> {
      return leases.get(leaseId)?.services.map((service) => service.report()) ?? [];
    },

    async drain(leaseId) {
      const lease = leases.get(leaseId);
      if (!lease) return { events: [], logs: [] };
      const events = lease.events.splice(0);
      if (lease.droppedLogLines > 0) {
        events.push({
          at: new Date().toISOString(),
          type: "warning",
          reason: "LogsDropped",
          message: `${lease.droppedLogLines} log lines were dropped before they could be reported`,
        });
        lease.droppedLogLines = 0;
      }
      return { events, logs: lease.logs.splice(0) };
    },

    teardown: (leaseId) => serialized(leaseId, () => stopLease(leaseId)),

    leaseIds: async () => [...leases.keys()],

    async close(closeOptions) {
      if (closeOptions?.teardownAll) {
        await Promise.all([...leases.keys()].map((leaseId) => serialized(leaseId, () => stopLease(leaseId))));
        return;
      }
      for (const lease of leases.values()) for (const service of lease.services) service.detach();
      leases.clear();
    },
  };
}
