import type { LogLine, ServiceReport, WorkloadEvent } from "@/lib/verify/protocol";

/**
 * Where a provider agent runs what it wins. Two implementations: `local` (each service a
 * local process, for the demo and tests) and `kubernetes` (a namespace per lease).
 * Every method is idempotent: the agent may call deploy again after a restart, and
 * teardown for a lease it no longer knows.
 */
export interface Runtime {
  readonly kind: "local" | "kubernetes";
  /** Starts (or converges to) the lease's workload. Resolves once it is submitted, not when ready. */
  deploy(workload: LeaseWorkload): Promise<void>;
  /** Each service's readiness and the URIs it is reachable on from outside. */
  status(leaseId: string): Promise<ServiceReport[]>;
  /** Events and log lines since the last call (each is returned once). */
  drain(leaseId: string): Promise<{ events: WorkloadEvent[]; logs: LogLine[] }>;
  /** Stops and removes everything of the lease. */
  teardown(leaseId: string): Promise<void>;
  /**
   * The leases it holds a workload for, whether or not this agent process deployed them (a
   * cluster outlives the agent): how a lease that ended while the agent was away is found.
   */
  leaseIds(): Promise<string[]>;
  /** Stops watching; leaves running workloads alone unless `teardownAll`. */
  close(options?: { teardownAll?: boolean }): Promise<void>;
}

/** One lease's workload: the services of the manifest group its order was made from. */
export interface LeaseWorkload {
  leaseId: string;
  deploymentId: string;
  groupName: string;
  manifestVersion: string;
  services: WorkloadService[];
}

export interface WorkloadService {
  name: string;
  image: string;
  command: string[] | null;
  args: string[] | null;
  /** "NAME=value" entries, as in the manifest. */
  env: string[];
  count: number;
  resources: {
    cpuMillicores: number;
    memoryBytes: bigint;
    storageBytes: bigint;
    gpu: {
      units: number;
      /** Acceptable GPU models (lowercase, e.g. "h100"), from the manifest's attributes; empty: any. */
      models: string[];
      vendor: string | null;
    };
  };
  expose: WorkloadPort[];
}

export interface WorkloadPort {
  /** The container port. */
  port: number;
  /** The port asked for outside (0: chosen by the provider). */
  externalPort: number;
  proto: "TCP" | "UDP";
  /** Reachable from the internet (true) or only from the deployment's other services. */
  global: boolean;
  /** Hostnames the tenant asked for (Akash `accept`). */
  hosts: string[];
  /** The service it is exposed to when not global (empty: any of the deployment's). */
  service: string;
}
