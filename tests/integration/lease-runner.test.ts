import { randomBytes } from "node:crypto";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createApiClient, type ApiClient } from "@/agent/api";
import { LeaseRunner } from "@/agent/lease-runner";
import { createLog, type LogEntry } from "@/agent/log";
import type { AgentLease } from "@/agent/market-wire";
import { createKubernetesRuntime, namespaceName } from "@/agent/runtime/kubernetes";
import { createLocalRuntime, type LocalRuntime } from "@/agent/runtime/local/local-runtime";
import type { Runtime } from "@/agent/runtime/runtime";
import { db } from "@/lib/db";
import { apiClient, sdlInput } from "../support/api-client";
import { startApiServer } from "../support/api-server";
import { signedHeartbeat, signingKeyProof } from "../support/heartbeats";
import { KubeApiServerDouble } from "../support/kube-apiserver-double";
import { processEnded, until } from "../support/wait";

/**
 * The lease runner against the real API on PostgreSQL, running leases on the real local runtime
 * (stand-in processes) or on the Kubernetes runtime against the API-server double. The tests
 * drive it as the agent does (onLease, beatAll, reconcile) without the agent's timers, so each
 * heartbeat happens when the test says.
 *
 * Other test files share the database and run agents that hear of every order their inventory
 * can serve: each test's provider owns a GPU model of its own (mi300x-<random>), and the leases
 * are made by hand (bid, accept), so no agent of another file takes part.
 */
let server: Awaited<ReturnType<typeof startApiServer>>;
let api: ReturnType<typeof apiClient>;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  server = await startApiServer();
  api = apiClient(server.baseUrl);
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

afterAll(async () => {
  await server?.close();
});

const MAX_PRICE = "30.000000";
const KUBE_TOKEN = "lease-runner-token";
const INGRESS_DOMAIN = "ingress.provider.example";

/** A provider with its own GPU model and a registered signing key, and a tenant. */
async function market() {
  const model = `mi300x-${randomBytes(3).toString("hex")}`;
  const provider = await api.provider({
    inventory: [{ gpu: { vendor: "nvidia", model, memoryGiB: 192, interface: "sxm", count: 8 } }],
  });
  const tenant = await api.signUp(["tenant"]);
  const signingKey = generatePrivateKey();
  const registered = await api.call("PUT", "/provider/signing-key", {
    key: provider.key,
    body: await signingKeyProof(signingKey, provider.provider.id),
  });
  expect(registered.status).toBe(200);
  return { model, provider, tenant, signingKey };
}
type Market = Awaited<ReturnType<typeof market>>;

/** The agent's own API client, with the provider's key; `baseUrl` may be a hop in front of the API. */
function agentApi(setup: Market, baseUrl = server.baseUrl): ApiClient {
  return createApiClient({ baseUrl: `${baseUrl}/api/v1`, apiKey: setup.provider.key });
}

/**
 * A live lease of the market's provider on the test SDL (service "web" on port 80, group "dc"),
 * as the agent reads it. `host`: the tenant's own host name for the port (SDL `accept`).
 */
async function leaseOf(setup: Market, options: { host?: string } = {}): Promise<AgentLease> {
  let sdl = sdlInput().replace("model: h100", `model: ${setup.model}`);
  if (options.host)
    sdl = sdl.replace(
      "      - port: 80\n",
      `      - port: 80\n        accept:\n          - ${options.host}\n`,
    );
  const posted = await api.call("POST", "/deployments", {
    key: setup.tenant.key,
    body: { sdl, maxPricePerHour: { dc: MAX_PRICE } },
  });
  expect(posted.status).toBe(201);
  const bid = await api.placeBid(setup.provider.key, posted.body.orders[0].id as string, "25.000000");
  const lease = await api.acceptBid(setup.tenant.key, bid.id);
  return agentApi(setup).getLease(lease.id);
}

async function closeLease(setup: Market, leaseId: string) {
  const closed = await api.call("POST", `/leases/${leaseId}/close`, { key: setup.tenant.key });
  expect(closed.status).toBe(200);
}

function localRuntime(): LocalRuntime {
  const runtime = createLocalRuntime({ probeIntervalMs: 100 });
  cleanups.push(() => runtime.close({ teardownAll: true }));
  return runtime;
}

async function kubernetesRuntime(setup: Market) {
  const double = await KubeApiServerDouble.start({
    token: KUBE_TOKEN,
    readyDelayMs: 100,
    terminationDelayMs: 100,
  });
  cleanups.push(() => double.close());
  const runtime = await createKubernetesRuntime({
    cluster: { server: double.url, token: KUBE_TOKEN },
    ingressDomain: INGRESS_DOMAIN,
    gpuModels: { [setup.model]: "AMD-Instinct-MI300X" },
  });
  cleanups.push(() => runtime.close());
  return { double, runtime, namespaceOf: (leaseId: string) => namespaceName(leaseId, "bidcloud-lease-") };
}

/** A runner for the market's provider, collecting its log. */
function runnerFor(setup: Market, runtime: Runtime, options: { api?: ApiClient } = {}) {
  const entries: LogEntry[] = [];
  const runner = new LeaseRunner({
    api: options.api ?? agentApi(setup),
    runtime,
    account: privateKeyToAccount(setup.signingKey),
    providerId: setup.provider.provider.id as string,
    log: createLog((entry) => entries.push(entry), "debug"),
  });
  cleanups.push(async () => runner.stop());
  const logged = (message: string, leaseId: string) =>
    entries.filter((entry) => entry.message === message && entry.fields.lease === leaseId);
  return {
    runner,
    entries,
    logged,
    /** The statuses of the reports the server accepted, in order. */
    statuses: (leaseId: string) => logged("lease status", leaseId).map((entry) => entry.fields.status),
  };
}

async function verificationOf(setup: Market, leaseId: string) {
  const response = await api.call("GET", `/leases/${leaseId}/verification`, { key: setup.tenant.key });
  expect(response.status).toBe(200);
  return response.body.verification as {
    status: string;
    services: { name: string; ready: boolean; uris: string[] }[];
    events: { source: string; type: string; reason: string; message: string }[];
  };
}

const providerReasons = (verification: Awaited<ReturnType<typeof verificationOf>>) =>
  verification.events.filter((event) => event.source === "provider").map((event) => event.reason);

const logText = (entries: LogEntry[]) =>
  entries.map((entry) => `${entry.level} ${entry.message} ${JSON.stringify(entry.fields)}`).join("\n");

/**
 * A TCP hop between the runner and the API that can go down: while down it drops every open
 * connection and every new one, as a network outage between the provider and the marketplace.
 */
async function startNetworkHop(targetBaseUrl: string) {
  const target = new URL(targetBaseUrl);
  let down = false;
  const sockets = new Set<net.Socket>();
  const hop = net.createServer((client) => {
    if (down) {
      client.destroy();
      return;
    }
    const upstream = net.connect(Number(target.port), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("error", () => {});
      socket.on("close", () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => hop.listen(0, "127.0.0.1", resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        hop.close(() => resolve());
      }),
  );
  return {
    baseUrl: `http://127.0.0.1:${(hop.address() as AddressInfo).port}`,
    goDown: () => {
      down = true;
      for (const socket of sockets) socket.destroy();
    },
    comeBack: () => {
      down = false;
    },
  };
}

describe("lease runner", () => {
  it("reports deploying at once, running the moment it is ready, then degraded when a service stops being ready", async () => {
    const setup = await market();
    const local = localRuntime();
    const { runner, entries, statuses } = runnerFor(setup, local);
    const lease = await leaseOf(setup);

    runner.onLease(lease, "event");
    // No beat timer runs here: the runner reports the deploy and the readiness on its own.
    const running = await until(
      async () => {
        const verification = await verificationOf(setup, lease.id);
        return verification.status === "running" ? verification : null;
      },
      () => `a running report; the runner said:\n${logText(entries)}`,
    );
    expect(statuses(lease.id)).toEqual(["deploying", "running"]);
    expect(providerReasons(running)).toEqual(
      expect.arrayContaining(["ManifestVerified", "Deployed", "Started", "Ready"]),
    );

    const uri = running.services[0]!.uris[0]!;
    expect((await fetch(`${uri}/__bidcloud/unhealthy`, { method: "POST" })).status).toBe(204);
    await until(
      async () => (await local.status(lease.id))[0]?.ready === false,
      () => "the runtime to see web unhealthy",
    );
    await runner.beatAll();
    expect(statuses(lease.id)).toEqual(["deploying", "running", "degraded"]);
    const degraded = await verificationOf(setup, lease.id);
    expect(degraded.status).toBe("degraded");
    expect(degraded.services).toMatchObject([{ name: "web", ready: false }]);
    expect(providerReasons(degraded)).toContain("Unhealthy");
  });

  it("ignores leases of other providers", async () => {
    const owner = await market();
    const other = await market();
    const local = localRuntime();
    const { runner } = runnerFor(other, local);
    const lease = await leaseOf(owner);

    runner.onLease(lease, "event");
    await runner.beatAll();
    expect(runner.leaseIds).toEqual([]);
    expect(await local.leaseIds()).toEqual([]);
    expect((await verificationOf(owner, lease.id)).status).toBe("pending");
  });

  it("keeps the events of a heartbeat that did not reach the server, and sends them with the next", async () => {
    const setup = await market();
    const local = localRuntime();
    const hop = await startNetworkHop(server.baseUrl);
    const { runner, entries, logged } = runnerFor(setup, local, { api: agentApi(setup, hop.baseUrl) });
    const lease = await leaseOf(setup);
    runner.onLease(lease, "event");
    const running = await until(
      async () => {
        const verification = await verificationOf(setup, lease.id);
        return verification.status === "running" ? verification : null;
      },
      () => `a running report; the runner said:\n${logText(entries)}`,
    );

    hop.goDown();
    await fetch(`${running.services[0]!.uris[0]}/__bidcloud/unhealthy`, { method: "POST" });
    await until(
      async () => (await local.status(lease.id))[0]?.ready === false,
      () => "the runtime to see web unhealthy",
    );
    // This beat drains the runtime's Unhealthy event, and cannot deliver it.
    await runner.beatAll();
    expect(logged("heartbeat failed; retrying next beat", lease.id)).toHaveLength(1);
    const missed = await verificationOf(setup, lease.id);
    expect(missed.status).toBe("running");
    expect(providerReasons(missed)).not.toContain("Unhealthy");
    expect(runner.leaseIds).toEqual([lease.id]);

    hop.comeBack();
    await runner.beatAll();
    const delivered = await verificationOf(setup, lease.id);
    expect(delivered.status).toBe("degraded");
    expect(providerReasons(delivered).filter((reason) => reason === "Unhealthy")).toHaveLength(1);
    // Sent once: the next report does not repeat it.
    await runner.beatAll();
    const after = await verificationOf(setup, lease.id);
    expect(providerReasons(after).filter((reason) => reason === "Unhealthy")).toHaveLength(1);
  });

  it("reports a failed deploy and deploys again on the next reconcile once the cause is gone (Kubernetes)", async () => {
    const setup = await market();
    const { double, runtime, namespaceOf } = await kubernetesRuntime(setup);
    const { runner, entries, logged, statuses } = runnerFor(setup, runtime);
    // Two leases that ask for the same tenant host: the runtime serves it for one lease only.
    const first = await leaseOf(setup, { host: "app.tenant.example" });
    const second = await leaseOf(setup, { host: "app.tenant.example" });

    runner.onLease(first, "event");
    await until(
      async () => (await verificationOf(setup, first.id)).status === "running",
      () => `the first lease running; the runner said:\n${logText(entries)}`,
    );
    runner.onLease(second, "event");
    await until(
      () => logged("lease failed", second.id).length > 0,
      () => `the second deploy to fail; the runner said:\n${logText(entries)}`,
    );
    await runner.beatAll();
    const failed = await verificationOf(setup, second.id);
    expect(failed.status).toBe("failed");
    const deployFailed = failed.events.find((event) => event.reason === "DeployFailed");
    expect(deployFailed).toMatchObject({ source: "provider", type: "warning" });
    expect(deployFailed!.message).toContain("host app.tenant.example is already served for another lease");
    expect(double.find("v1", "namespaces", null, namespaceOf(second.id))).toBeUndefined();

    // The first lease ends; once its namespace is gone, the host is free.
    await closeLease(setup, first.id);
    await runner.beatAll();
    await until(
      () => double.find("v1", "namespaces", null, namespaceOf(first.id)) === undefined,
      () => `the first lease's namespace gone; the runner said:\n${logText(entries)}`,
    );
    await runner.reconcile([second]);
    await until(
      async () => (await verificationOf(setup, second.id)).status === "running",
      () => `the second lease running; the runner said:\n${logText(entries)}`,
    );
    expect(statuses(second.id)).toEqual(["failed", "deploying", "running"]);
    expect(double.find("apps/v1", "deployments", namespaceOf(second.id), "web")).toBeDefined();
  });

  it("leaves a workload it was deploying in place when it stops (a restarted agent adopts it)", async () => {
    const setup = await market();
    const { double, runtime, namespaceOf } = await kubernetesRuntime(setup);
    const { runner, entries } = runnerFor(setup, runtime);
    const lease = await leaseOf(setup);

    runner.onLease(lease, "event");
    // Stop between the deploy's first apply (the namespace) and its last (the Deployment): the
    // double records a request as it arrives, and this checks at every turn of the event loop.
    const deadline = Date.now() + 10_000;
    while (!double.requests.some((request) => request.method === "PATCH")) {
      if (Date.now() > deadline) throw new Error(`the deploy never started:\n${logText(entries)}`);
      await new Promise((resolve) => setImmediate(resolve));
    }
    runner.stop();
    expect(double.find("apps/v1", "deployments", namespaceOf(lease.id), "web")).toBeUndefined();
    await until(
      () => double.find("apps/v1", "deployments", namespaceOf(lease.id), "web"),
      () => "the deploy to finish",
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(double.requests.filter((request) => request.method === "DELETE")).toEqual([]);
    expect(await runtime.leaseIds()).toEqual([lease.id]);
  });

  it("tears the workload down when a heartbeat is refused because the lease closed", async () => {
    const setup = await market();
    const local = localRuntime();
    const { runner, entries, logged } = runnerFor(setup, local);
    const lease = await leaseOf(setup);
    runner.onLease(lease, "event");
    await until(
      async () => (await verificationOf(setup, lease.id)).status === "running",
      () => `a running report; the runner said:\n${logText(entries)}`,
    );
    const pid = local.processIds(lease.id).web!;

    // No event reaches this runner: it learns of the close from the refused heartbeat.
    await closeLease(setup, lease.id);
    await runner.beatAll();
    expect(runner.leaseIds).toEqual([]);
    expect(await local.leaseIds()).toEqual([]);
    expect(processEnded(pid)).toBe(true);
    expect(logged("lease closed; workload removed", lease.id)).toHaveLength(1);
  });

  it("keeps the workload when a heartbeat's sequence is refused, and continues above the server's last one", async () => {
    const setup = await market();
    const local = localRuntime();
    const { runner, entries, logged } = runnerFor(setup, local);
    const lease = await leaseOf(setup);
    runner.onLease(lease, "event");
    await until(
      async () => (await verificationOf(setup, lease.id)).status === "running",
      () => `a running report; the runner said:\n${logText(entries)}`,
    );

    // A heartbeat with the provider's key far ahead of the runner's clock, as one sent before the
    // clock stepped back.
    const ahead = Date.now() + 365 * 24 * 3600 * 1000;
    const taken = await api.call("POST", `/leases/${lease.id}/heartbeats`, {
      key: setup.provider.key,
      body: await signedHeartbeat(setup.signingKey, lease.id, { sequence: ahead }),
    });
    expect(taken.status).toBe(202);

    await runner.beatAll();
    const [refused] = logged("heartbeat failed; retrying next beat", lease.id);
    expect(refused?.fields.error).toContain(`must be above ${ahead}`);
    expect(runner.leaseIds).toEqual([lease.id]);
    expect(await local.leaseIds()).toEqual([lease.id]);

    await runner.beatAll();
    const record = await db().leaseVerification.findUniqueOrThrow({ where: { leaseId: lease.id } });
    expect(record.lastSequence).toBe(BigInt(ahead) + 1n);
    expect(record.status).toBe("running");
  });

  it("tears down a lease no longer listed as active once the server confirms it closed", async () => {
    const setup = await market();
    const local = localRuntime();
    const { runner, entries, logged } = runnerFor(setup, local);
    const lease = await leaseOf(setup);
    runner.onLease(lease, "event");
    await until(
      async () => (await local.status(lease.id))[0]?.ready === true,
      () => `the workload ready; the runner said:\n${logText(entries)}`,
    );

    await closeLease(setup, lease.id);
    await runner.reconcile([]);
    expect(await local.leaseIds()).toEqual([]);
    expect(logged("lease closed; workload removed", lease.id)).toHaveLength(1);
  });

  it("removes, after a restart, the workload of a lease that ended while it was away, and adopts the live one", async () => {
    const setup = await market();
    const local = localRuntime();
    const before = runnerFor(setup, local);
    const ended = await leaseOf(setup);
    const live = await leaseOf(setup);
    before.runner.onLease(ended, "event");
    before.runner.onLease(live, "event");
    await until(
      async () =>
        (await verificationOf(setup, ended.id)).status === "running" &&
        (await verificationOf(setup, live.id)).status === "running",
      () => `both leases running; the runner said:\n${logText(before.entries)}`,
    );
    before.runner.stop();
    const endedPid = local.processIds(ended.id).web!;
    const livePid = local.processIds(live.id).web!;

    await closeLease(setup, ended.id);
    // The restarted runner knows nothing; the runtime still holds both workloads.
    const after = runnerFor(setup, local);
    const active = await agentApi(setup).listLeases("active");
    await after.runner.reconcile(active.filter((lease) => lease.providerId === setup.provider.provider.id));
    expect(await local.leaseIds()).toEqual([live.id]);
    expect(processEnded(endedPid)).toBe(true);
    expect(
      after.logged("workload of a lease that ended while the agent was away removed", ended.id),
    ).toHaveLength(1);
    expect(after.runner.leaseIds).toEqual([live.id]);
    // Adopting deploys the same manifest again: the running process stays.
    await until(
      async () =>
        (await verificationOf(setup, live.id)).status === "running" && after.statuses(live.id).length > 0,
      () => `the adopted lease reported; the runner said:\n${logText(after.entries)}`,
    );
    expect(local.processIds(live.id).web).toBe(livePid);

    // A live lease the listing missed (beyond its page) is adopted, not torn down.
    after.runner.stop();
    const third = runnerFor(setup, local);
    await third.runner.reconcile([]);
    expect(third.runner.leaseIds).toEqual([live.id]);
    expect(await local.leaseIds()).toEqual([live.id]);
  });
});
