import { randomBytes } from "node:crypto";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startAgent, type RunningAgent } from "@/agent/agent";
import type { AgentConfig } from "@/agent/config";
import { createLog, type LogEntry } from "@/agent/log";
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
 * The provider agent (in-process, local runtime) against the real API on PostgreSQL: it bids,
 * withdraws bids a lease made unservable, runs the leases it wins, refuses a tampered manifest,
 * adopts live leases, registers its signing key and gives up when its key is revoked.
 *
 * Other test files share the database, and agents hear of every new order their free inventory
 * can serve. So each test's provider owns a GPU model of its own (b200-<random>) and its orders
 * ask for it, and the pricing floor ($20/hour) is above what any other file's order pays, so the
 * agents decline GPU-agnostic and CPU-only orders from elsewhere without a request.
 */
let server: Awaited<ReturnType<typeof startApiServer>>;
let api: ReturnType<typeof apiClient>;
let agent: RunningAgent | null = null;
let runtime: LocalRuntime | null = null;

beforeAll(async () => {
  server = await startApiServer();
  api = apiClient(server.baseUrl);
});

afterEach(async () => {
  await agent?.stop();
  await runtime?.close({ teardownAll: true });
  agent = null;
  runtime = null;
});

afterAll(async () => {
  await server?.close();
});

/** What the tests' orders may pay: above the agents' table prices. */
const MAX_PRICE = "30.000000";

function uniqueGpuModel(): string {
  return `b200-${randomBytes(3).toString("hex")}`;
}

function agentConfig(
  apiKey: string,
  signingKey: `0x${string}`,
  model: string,
  overrides: Partial<AgentConfig> = {},
): AgentConfig {
  return {
    api: `${server.baseUrl}/api/v1`,
    apiKey,
    signingKey,
    runtime: { kind: "local", host: "127.0.0.1", publicHost: "127.0.0.1" },
    heartbeatSeconds: 0.2,
    resyncSeconds: 60,
    // USD/hour in micro-USD: $24 a GPU, $0.02 a core, $0.005 a GiB of memory, $0.0002 of disk;
    // nothing under the $20 floor.
    pricing: {
      gpu: new Map([[model, 24_000_000n]]),
      gpuFallback: null,
      cpuCore: 20_000n,
      memoryGiB: 5_000n,
      storageGiB: 200n,
      floor: 20_000_000n,
      margins: [],
      command: null,
      commandCwd: process.cwd(),
    },
    ...overrides,
  };
}

/** A provider with one machine of `gpus` GPUs of its own model, and a tenant to post orders. */
async function market(options: { gpus?: number } = {}) {
  const model = uniqueGpuModel();
  const provider = await api.provider({
    inventory: [
      { gpu: { vendor: "nvidia", model, memoryGiB: 192, interface: "sxm", count: options.gpus ?? 8 } },
    ],
  });
  const tenant = await api.signUp(["tenant"]);
  return { model, provider, tenant };
}

/**
 * Starts the agent for `provider` in this process, collecting its log. It runs leases on a local
 * runtime of its own unless given another `runtime`.
 */
async function runAgent(
  setup: Awaited<ReturnType<typeof market>>,
  options: { apiKey?: string; overrides?: Partial<AgentConfig>; runtime?: Runtime } = {},
) {
  const signingKey = generatePrivateKey();
  const entries: LogEntry[] = [];
  runtime = createLocalRuntime({ probeIntervalMs: 100 });
  agent = await startAgent(
    agentConfig(options.apiKey ?? setup.provider.key, signingKey, setup.model, options.overrides),
    { log: createLog((entry) => entries.push(entry), "debug"), runtime: options.runtime ?? runtime },
  );
  const logged = (message: string, fields: Record<string, unknown> = {}) =>
    entries.filter(
      (entry) =>
        entry.message === message &&
        Object.entries(fields).every(([key, value]) => entry.fields[key] === value),
    );
  return { agent, runtime, entries, logged, signingKey, signer: privateKeyToAccount(signingKey) };
}

/** 1 GPU of `model`, 8 cores, 64 GiB memory, 200 GiB disk: $24.52/hour on the agents' table. */
function orderFor(model: string, overrides: Record<string, unknown> = {}) {
  return {
    resources: {
      gpu: { units: 1, vendor: "nvidia", model },
      cpuMillicores: 8_000,
      memoryBytes: 64 * 1024 ** 3,
      storageBytes: 200 * 1024 ** 3,
    },
    maxPricePerHour: MAX_PRICE,
    ...overrides,
  };
}

/** The test SDL (service "web", group "dc") on `model`: $24.17/hour on the agents' table. */
async function postDeployment(tenantKey: string, model: string) {
  const sdl = sdlInput().replace("model: h100", `model: ${model}`);
  const posted = await api.call("POST", "/deployments", {
    key: tenantKey,
    body: { sdl, maxPricePerHour: { dc: MAX_PRICE } },
  });
  expect(posted.status).toBe(201);
  return {
    id: posted.body.deployment.id as string,
    manifestVersion: posted.body.deployment.manifestVersion as string,
    orderId: posted.body.orders[0].id as string,
  };
}

interface WireBid {
  id: string;
  state: string;
  orderId: string;
  providerId: string;
  pricePerHour: string;
  createdAt: string;
}

async function bidsOn(tenantKey: string, orderId: string): Promise<WireBid[]> {
  const response = await api.call("GET", `/orders/${orderId}/bids`, { key: tenantKey });
  expect(response.status).toBe(200);
  return response.body.bids as WireBid[];
}

async function verificationOf(tenantKey: string, leaseId: string) {
  const response = await api.call("GET", `/leases/${leaseId}/verification`, { key: tenantKey });
  expect(response.status).toBe(200);
  return response.body.verification as {
    status: string;
    services: { name: string; uris: string[] }[];
    events: { source: string; type: string; reason: string; message: string }[];
  };
}

const logText = (entries: LogEntry[]) =>
  entries.map((entry) => `${entry.level} ${entry.message} ${JSON.stringify(entry.fields)}`).join("\n");

describe("provider agent", () => {
  it("bids on an offered order at the table price", async () => {
    const setup = await market();
    const { logged, entries } = await runAgent(setup);
    const order = await api.postOrder(setup.tenant.key, orderFor(setup.model));
    const [bid] = await until(
      async () => {
        const bids = await bidsOn(setup.tenant.key, order.id);
        return bids.length > 0 ? bids : null;
      },
      () => `a bid; the agent said:\n${logText(entries)}`,
    );
    // 24.00 + 8 cores x 0.02 + 64 GiB x 0.005 + 200 GiB x 0.0002
    expect(bid).toMatchObject({
      providerId: setup.provider.provider.id,
      pricePerHour: "24.520000",
      state: "open",
    });
    // How fast it bids is the benchmark's to measure (scripts/bench-agents.ts), not a test's.
    const [placed] = logged("bid placed", { order: order.id });
    expect(placed?.fields).toMatchObject({ bid: bid!.id, price: "24.520000", max: MAX_PRICE });
  });

  it("never bids above an order's max price", async () => {
    const setup = await market();
    const { logged, entries } = await runAgent(setup);
    const order = await api.postOrder(
      setup.tenant.key,
      orderFor(setup.model, { maxPricePerHour: "24.000000" }),
    );
    const [declined] = await until(
      () => {
        const found = logged("no bid", { order: order.id });
        return found.length > 0 ? found : null;
      },
      () => `the no-bid decision; the agent said:\n${logText(entries)}`,
    );
    expect(declined!.fields.reason).toBe("price 24.520000 is above the order's max 24.000000");
    expect(await bidsOn(setup.tenant.key, order.id)).toEqual([]);
    expect(logged("bid refused")).toEqual([]);
  });

  it("catches up on open orders at start and does not bid twice", async () => {
    const setup = await market();
    const missed = await api.postOrder(setup.tenant.key, orderFor(setup.model));
    const alreadyBid = await api.postOrder(setup.tenant.key, orderFor(setup.model));
    const before = await api.placeBid(setup.provider.key, alreadyBid.id, "25.000000");

    // Resyncs every 0.3 s: each one repeats the catch-up, so several pass while we wait.
    const { logged, entries } = await runAgent(setup, { overrides: { resyncSeconds: 0.3 } });
    await until(
      async () => (await bidsOn(setup.tenant.key, missed.id)).length > 0,
      () => `the catch-up bid; the agent said:\n${logText(entries)}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 1_500));

    const onMissed = await bidsOn(setup.tenant.key, missed.id);
    expect(onMissed).toHaveLength(1);
    expect(onMissed[0]).toMatchObject({ state: "open", pricePerHour: "24.520000" });
    const onAlreadyBid = await bidsOn(setup.tenant.key, alreadyBid.id);
    expect(onAlreadyBid.map((bid) => [bid.id, bid.state, bid.pricePerHour])).toEqual([
      [before.id, "open", "25.000000"],
    ]);
    expect(logged("bid placed").map((entry) => entry.fields.order)).toEqual([missed.id]);
    expect(logged("bid refused")).toEqual([]);
  });

  it("closes an open bid once a lease takes the capacity it needed", async () => {
    const setup = await market({ gpus: 1 });
    const { logged, entries } = await runAgent(setup);
    const first = await api.postOrder(setup.tenant.key, orderFor(setup.model));
    const second = await api.postOrder(setup.tenant.key, orderFor(setup.model));
    const [won] = await until(
      async () => {
        const [a, b] = [await bidsOn(setup.tenant.key, first.id), await bidsOn(setup.tenant.key, second.id)];
        return a.length === 1 && b.length === 1 ? a : null;
      },
      () => `bids on both orders; the agent said:\n${logText(entries)}`,
    );
    // Accepting one takes the only GPU: the other order can no longer be served.
    await api.acceptBid(setup.tenant.key, won!.id);
    const [withdrawn] = await until(
      async () => {
        const bids = await bidsOn(setup.tenant.key, second.id);
        return bids[0]?.state === "closed" ? bids : null;
      },
      () => `the other bid closed; the agent said:\n${logText(entries)}`,
    );
    expect((await bidsOn(setup.tenant.key, first.id)).map((bid) => bid.state)).toEqual(["active"]);
    expect(logged("bid closed: capacity taken", { order: second.id, bid: withdrawn!.id })).toHaveLength(1);
  });

  it("runs a won lease: manifest verified, deployed, signed heartbeats until running; a closed lease is torn down", async () => {
    const setup = await market();
    const { runtime: local, logged, entries, signer } = await runAgent(setup);
    const deployment = await postDeployment(setup.tenant.key, setup.model);
    const [bid] = await until(
      async () => {
        const bids = await bidsOn(setup.tenant.key, deployment.orderId);
        return bids.length > 0 ? bids : null;
      },
      () => `a bid; the agent said:\n${logText(entries)}`,
    );
    expect(bid!.pricePerHour).toBe("24.170000");
    const lease = await api.acceptBid(setup.tenant.key, bid!.id);

    // Running as the API reports it: the server took signed heartbeats from the registered key.
    const workload = await until(
      async () => {
        const response = await api.call("GET", `/leases/${lease.id}`, { key: setup.tenant.key });
        return response.body.lease.workload?.status === "running" ? response.body.lease.workload : null;
      },
      () => `a running workload; the agent said:\n${logText(entries)}`,
    );
    const profile = await api.call("GET", "/provider", { key: setup.provider.key });
    expect(profile.body.provider.signingAddress).toBe(signer.address.toLowerCase());
    const uri = workload.services[0].uris[0] as string;
    expect(uri).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${uri}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok", service: "web" });
    const record = await db().leaseVerification.findUniqueOrThrow({ where: { leaseId: lease.id } });
    expect(record.servicesReady).toEqual(["web"]);
    expect(record.heartbeatCount).toBeGreaterThanOrEqual(2);

    // What the agent reported, in the order the server accepted it: deploying, then running.
    const statuses = logged("lease status", { lease: lease.id }).map((entry) => entry.fields.status);
    expect(statuses).toEqual(["deploying", "running"]);
    const verification = await verificationOf(setup.tenant.key, lease.id);
    const reported = verification.events
      .filter((event) => event.source === "provider")
      .map((event) => event.reason);
    expect(reported).toEqual(expect.arrayContaining(["ManifestVerified", "Deployed", "Started", "Ready"]));
    expect(entries.map((entry) => entry.message)).toEqual(
      expect.arrayContaining(["lease won", "manifest verified", "deployed"]),
    );

    const pid = local.processIds(lease.id).web!;
    expect(processEnded(pid)).toBe(false);
    const closed = await api.call("POST", `/leases/${lease.id}/close`, { key: setup.tenant.key });
    expect(closed.status).toBe(200);
    await until(
      () => Object.keys(local.processIds(lease.id)).length === 0 && processEnded(pid),
      () => `the teardown; the agent said:\n${logText(entries)}`,
    );
    // Once: the close's event or a heartbeat refused for the closed lease stops it, whichever
    // comes first; the other finds it ended.
    expect(logged("lease closed; workload removed", { lease: lease.id })).toHaveLength(1);
    await fetch(`${uri}/health`).then(
      () => expect.fail("the workload outlived its lease"),
      () => undefined,
    );
    // Nor later: the server takes no heartbeat after a close (so never publishes the lease as
    // active again), and the agent ignores any event about a lease it saw end.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(local.processIds(lease.id)).toEqual({});
  });

  it("refuses a manifest that does not match the lease's version and reports it", async () => {
    const setup = await market();
    const { runtime: local, entries } = await runAgent(setup);
    const deployment = await postDeployment(setup.tenant.key, setup.model);
    const [bid] = await until(
      async () => {
        const bids = await bidsOn(setup.tenant.key, deployment.orderId);
        return bids.length > 0 ? bids : null;
      },
      () => `a bid; the agent said:\n${logText(entries)}`,
    );
    // The manifest is altered where it is kept; the lease still names the posted version.
    await db()
      .$executeRaw`UPDATE deployment SET manifest = replace(manifest, 'nginx:1.27', 'evil:latest') WHERE id = ${deployment.id}`;
    const lease = await api.acceptBid(setup.tenant.key, bid!.id);

    const refused = await until(
      async () => {
        const verification = await verificationOf(setup.tenant.key, lease.id);
        return verification.status === "manifest_rejected" ? verification : null;
      },
      () => `the manifest refused; the agent said:\n${logText(entries)}`,
    );
    const event = refused.events.find((entry) => entry.reason === "ManifestRejected");
    expect(event).toMatchObject({ source: "provider", type: "warning" });
    expect(event!.message).toContain(deployment.manifestVersion);
    expect(refused.services).toEqual([]);
    expect(local.processIds(lease.id)).toEqual({});
    expect(await local.status(lease.id)).toEqual([]);
  });

  it("reports a lease without a deployment as failed, with the reason", async () => {
    const setup = await market();
    const { entries } = await runAgent(setup);
    const order = await api.postOrder(setup.tenant.key, orderFor(setup.model));
    const [bid] = await until(
      async () => {
        const bids = await bidsOn(setup.tenant.key, order.id);
        return bids.length > 0 ? bids : null;
      },
      () => `a bid; the agent said:\n${logText(entries)}`,
    );
    const lease = await api.acceptBid(setup.tenant.key, bid!.id);
    const failed = await until(
      async () => {
        const verification = await verificationOf(setup.tenant.key, lease.id);
        return verification.status === "failed" ? verification : null;
      },
      () => `a failed report; the agent said:\n${logText(entries)}`,
    );
    const event = failed.events.find((entry) => entry.reason === "NoManifest");
    expect(event).toMatchObject({ source: "provider", type: "warning" });
    expect(event!.message).toContain("no manifest");
  });

  it("adopts a live lease at start and deploys it", async () => {
    const setup = await market();
    // The lease is won while no agent runs (the provider bid by hand).
    const deployment = await postDeployment(setup.tenant.key, setup.model);
    const bid = await api.placeBid(setup.provider.key, deployment.orderId, "25.000000");
    const lease = await api.acceptBid(setup.tenant.key, bid.id);

    const { runtime: local, logged, entries } = await runAgent(setup);
    expect(logged("lease adopted", { lease: lease.id })).toHaveLength(1);
    await until(
      async () => {
        const response = await api.call("GET", `/leases/${lease.id}`, { key: setup.tenant.key });
        return response.body.lease.workload?.status === "running";
      },
      () => `the adopted lease running; the agent said:\n${logText(entries)}`,
    );
    expect(Object.keys(local.processIds(lease.id))).toEqual(["web"]);
  });

  it("removes at start the namespace of a lease that closed while it was down (Kubernetes runtime)", async () => {
    const setup = await market();
    const double = await KubeApiServerDouble.start({ token: "agent-test", readyDelayMs: 100 });
    const kubernetes = () =>
      createKubernetesRuntime({
        cluster: { server: double.url, token: "agent-test" },
        ingressDomain: "ingress.provider.example",
        gpuModels: { [setup.model]: "NVIDIA-B200" },
      });
    try {
      const deployment = await postDeployment(setup.tenant.key, setup.model);
      const bid = await api.placeBid(setup.provider.key, deployment.orderId, "25.000000");
      const lease = await api.acceptBid(setup.tenant.key, bid.id);
      const namespace = namespaceName(lease.id, "bidcloud-lease-");

      const first = await runAgent(setup, { runtime: await kubernetes() });
      await until(
        async () => {
          const response = await api.call("GET", `/leases/${lease.id}`, { key: setup.tenant.key });
          return response.body.lease.workload?.status === "running";
        },
        () => `the lease running on the cluster; the agent said:\n${logText(first.entries)}`,
      );
      // Stopping leaves the workload on the cluster; the lease closes while no agent runs.
      await first.agent.stop();
      expect(double.find("v1", "namespaces", null, namespace)).toBeDefined();
      const closed = await api.call("POST", `/leases/${lease.id}/close`, { key: setup.tenant.key });
      expect(closed.status).toBe(200);

      const second = await runAgent(setup, { runtime: await kubernetes() });
      await until(
        () => double.find("v1", "namespaces", null, namespace) === undefined,
        () => `the namespace deleted; the agent said:\n${logText(second.entries)}`,
      );
      expect(
        double.requests.filter((request) => request.method === "DELETE").map((request) => request.path),
      ).toEqual([`/api/v1/namespaces/${namespace}`]);
      expect(second.logged("lease adopted")).toEqual([]);
    } finally {
      await agent?.stop();
      await double.close();
    }
  });

  it("takes up its heartbeats above a sequence the server took from elsewhere (its clock stepped back)", async () => {
    const setup = await market();
    const deployment = await postDeployment(setup.tenant.key, setup.model);
    const bid = await api.placeBid(setup.provider.key, deployment.orderId, "25.000000");
    const lease = await api.acceptBid(setup.tenant.key, bid.id);
    const { runtime: local, entries, logged, signingKey } = await runAgent(setup);
    await until(
      async () => {
        const response = await api.call("GET", `/leases/${lease.id}`, { key: setup.tenant.key });
        return response.body.lease.workload?.status === "running";
      },
      () => `the lease running; the agent said:\n${logText(entries)}`,
    );

    // Signed with the agent's key a year ahead of its clock: as if sent before the clock went back.
    const ahead = Date.now() + 365 * 24 * 3600 * 1000;
    const taken = await api.call("POST", `/leases/${lease.id}/heartbeats`, {
      key: setup.provider.key,
      body: await signedHeartbeat(signingKey, lease.id, { sequence: ahead }),
    });
    expect(taken.status).toBe(202);

    const record = await until(
      async () => {
        const found = await db().leaseVerification.findUniqueOrThrow({ where: { leaseId: lease.id } });
        return found.lastSequence > BigInt(ahead) ? found : null;
      },
      () => `a heartbeat of the agent above ${ahead}; the agent said:\n${logText(entries)}`,
    );
    expect(record.status).toBe("running");
    const refusals = logged("heartbeat failed; retrying next beat", { lease: lease.id });
    expect(refusals.length).toBeGreaterThanOrEqual(1);
    expect(refusals[0]!.fields.error).toContain(`must be above ${ahead}`);
    expect(Object.keys(local.processIds(lease.id))).toEqual(["web"]);
  });

  it("registers its signing key when the provider has another one", async () => {
    const setup = await market();
    const previous = await signingKeyProof(generatePrivateKey(), setup.provider.provider.id);
    expect(
      (await api.call("PUT", "/provider/signing-key", { key: setup.provider.key, body: previous })).status,
    ).toBe(200);

    const { signer, entries, logged } = await runAgent(setup);
    const profile = await api.call("GET", "/provider", { key: setup.provider.key });
    expect(profile.body.provider.signingAddress).toBe(signer.address.toLowerCase());
    expect(logged("signing key registered").map((entry) => entry.fields)).toEqual([
      { address: signer.address, previous: previous.address.toLowerCase() },
    ]);
    expect(entries.filter((entry) => entry.level === "error")).toEqual([]);
  });

  it("gives up when its API key is revoked", async () => {
    const setup = await market();
    const created = await api.call("POST", "/api-keys", { key: setup.provider.key, body: { name: "agent" } });
    expect(created.status).toBe(201);
    const { agent: running, logged } = await runAgent(setup, { apiKey: created.body.key as string });

    const revoked = await api.call("DELETE", `/api-keys/${created.body.apiKey.id}`, {
      key: setup.provider.key,
    });
    expect(revoked.status).toBe(200);
    const revokedAt = Date.now();
    // The event stream re-checks the key at every keepalive (1 s in tests) and ends with `closed`.
    await expect(running.done).rejects.toThrow("revoked");
    expect(Date.now() - revokedAt).toBeLessThan(5_000);
    expect(logged("giving up")).toHaveLength(1);
    expect((await api.call("GET", "/provider", { key: created.body.key as string })).status).toBe(401);
  });
});
