import { privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import type { HeartbeatRequest, ServiceReport, WorkloadEvent, WorkloadReport } from "@/lib/verify/protocol";
import { ApiError, type ApiClient } from "./api";
import { LeaseRunner } from "./lease-runner";
import { silentLog } from "./log";
import { manifestVersionOf } from "./manifest";
import type { AgentLease } from "./market-wire";
import type { LeaseWorkload, Runtime } from "./runtime/runtime";

const account = privateKeyToAccount(`0x${"77".repeat(32)}`);
const MANIFEST = JSON.stringify([
  {
    name: "dcloud",
    services: [
      {
        name: "api",
        image: "acme/api:1",
        command: null,
        args: null,
        env: [],
        count: 1,
        expose: [],
        resources: {
          cpu: { units: { val: "1000" } },
          memory: { size: { val: "1073741824" } },
          storage: null,
        },
      },
    ],
  },
]);

function lease(overrides: Partial<AgentLease> = {}): AgentLease {
  return {
    id: "lease_1",
    state: "active",
    orderId: "ord_1",
    providerId: "prov_1",
    pricePerHour: 1_000_000n,
    deploymentId: "dep_1",
    groupName: "dcloud",
    manifestVersion: manifestVersionOf(MANIFEST),
    createdAt: new Date().toISOString(),
    ...overrides,
  };
}

/** A runtime whose readiness and events the test sets. */
class FakeRuntime implements Runtime {
  readonly kind = "local" as const;
  deployed: LeaseWorkload[] = [];
  tornDown: string[] = [];
  ready = false;
  deployError: Error | null = null;
  pending: WorkloadEvent[] = [];
  async deploy(workload: LeaseWorkload) {
    if (this.deployError) throw this.deployError;
    this.deployed.push(workload);
  }
  async status(): Promise<ServiceReport[]> {
    return [{ name: "api", ready: this.ready, replicas: 1, readyReplicas: this.ready ? 1 : 0, uris: [] }];
  }
  async drain() {
    return { events: this.pending.splice(0), logs: [] };
  }
  async teardown(leaseId: string) {
    this.tornDown.push(leaseId);
  }
  async close() {}
}

function fakeApi(current: () => AgentLease) {
  const reports: WorkloadReport[] = [];
  const state = { failHeartbeats: null as ApiError | null };
  const api = {
    baseUrl: "http://fake",
    getManifest: async () => ({
      deploymentId: "dep_1",
      manifestVersion: manifestVersionOf(MANIFEST),
      manifestJson: MANIFEST,
    }),
    getLease: async () => current(),
    postHeartbeat: async (_leaseId: string, request: HeartbeatRequest) => {
      if (state.failHeartbeats) throw state.failHeartbeats;
      reports.push(JSON.parse(request.report) as WorkloadReport);
    },
  } as unknown as ApiClient;
  return { api, reports, state };
}

async function settle() {
  await new Promise((resolve) => setTimeout(resolve, 10));
}

function setUp(overrides: Partial<AgentLease> = {}) {
  let currentLease = lease(overrides);
  const runtime = new FakeRuntime();
  const { api, reports, state } = fakeApi(() => currentLease);
  const runner = new LeaseRunner({ api, runtime, account, providerId: "prov_1", log: silentLog });
  return {
    runtime,
    runner,
    reports,
    state,
    lease: currentLease,
    setLease: (next: AgentLease) => (currentLease = next),
  };
}

describe("LeaseRunner", () => {
  it("reports deploying at once, running the moment it is ready, then degraded when a service stops being ready", async () => {
    const { runner, runtime, reports, lease: won } = setUp();
    runner.onLease(won, "event");
    await settle();
    expect(runtime.deployed).toHaveLength(1);
    // No waiting for the next beat: the deploy is reported as soon as it is submitted...
    expect(reports.map((report) => report.status)).toEqual(["deploying"]);
    runtime.ready = true;
    // ...and readiness within a fraction of a second of it.
    const deadline = Date.now() + 1_000;
    while (reports.length < 2 && Date.now() < deadline) await settle();
    expect(reports.map((report) => report.status)).toEqual(["deploying", "running"]);
    runtime.ready = false;
    await runner.beatAll();
    expect(reports.map((report) => report.status)).toEqual(["deploying", "running", "degraded"]);
  });

  it("ignores leases of other providers", async () => {
    const { runner, runtime } = setUp();
    runner.onLease(lease({ providerId: "prov_other" }), "event");
    await settle();
    expect(runner.leaseIds).toEqual([]);
    expect(runtime.deployed).toEqual([]);
  });

  it("keeps events of a heartbeat the server did not take, and sends them with the next", async () => {
    const { runner, runtime, reports, state, lease: won } = setUp();
    state.failHeartbeats = new ApiError("POST /leases/lease_1/heartbeats: no answer (ECONNREFUSED)", 0);
    runner.onLease(won, "event");
    await settle();
    runtime.pending.push({
      at: new Date().toISOString(),
      type: "normal",
      reason: "Ready",
      message: "api is ready",
      service: "api",
    });
    await runner.beatAll();
    expect(reports).toEqual([]);
    state.failHeartbeats = null;
    await runner.beatAll();
    const reasons = reports.flatMap((report) => report.events.map((event) => event.reason));
    expect(reasons).toEqual(["ManifestVerified", "Deployed", "Ready"]);
    await runner.beatAll();
    expect(reports.at(-1)!.events).toEqual([]);
  });

  it("reports a failed deploy and deploys again on the next reconcile", async () => {
    const { runner, runtime, reports, lease: won } = setUp();
    runtime.deployError = new Error("the cluster is unreachable");
    runner.onLease(won, "event");
    await settle();
    await runner.beatAll();
    expect(reports.at(-1)!.status).toBe("failed");
    expect(reports.at(-1)!.events.find((event) => event.reason === "DeployFailed")?.message).toContain(
      "the cluster is unreachable",
    );
    runtime.deployError = null;
    await runner.reconcile([won]);
    await settle();
    expect(runtime.deployed).toHaveLength(1);
    await runner.beatAll();
    expect(reports.at(-1)!.status).toBe("deploying");
  });

  it("tears the workload down when a heartbeat is refused because the lease closed", async () => {
    const { runner, runtime, state, lease: won, setLease } = setUp();
    runner.onLease(won, "event");
    await settle();
    setLease({ ...won, state: "closed" });
    state.failHeartbeats = new ApiError("the lease is closed", 409, "INVALID_STATE");
    await runner.beatAll();
    expect(runtime.tornDown).toEqual(["lease_1"]);
    expect(runner.leaseIds).toEqual([]);
  });

  it("keeps a workload whose heartbeat conflicts while the lease is still active", async () => {
    const { runner, runtime, state, lease: won } = setUp();
    runner.onLease(won, "event");
    await settle();
    state.failHeartbeats = new ApiError("sequence must grow", 409, "CONFLICT");
    await runner.beatAll();
    expect(runtime.tornDown).toEqual([]);
    expect(runner.leaseIds).toEqual(["lease_1"]);
  });

  it("tears down a lease that is no longer listed as active once the server confirms it closed", async () => {
    const { runner, runtime, lease: won, setLease } = setUp();
    runner.onLease(won, "event");
    await settle();
    setLease({ ...won, state: "insufficient_funds" });
    await runner.reconcile([]);
    expect(runtime.tornDown).toEqual(["lease_1"]);
  });
});
