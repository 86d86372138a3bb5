import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Hex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drainChain } from "@/lib/chain/drain";
import type { ChainRuntime } from "@/lib/chain/outbox-worker";
import { chainRuntime } from "@/lib/chain/runtime";
import { db } from "@/lib/db";
import { costOf, ratePerSecond } from "@/lib/escrow/amounts";
import { reconcile } from "@/lib/escrow/reconcile";
import { scheduleSettlements } from "@/lib/escrow/settlement";
import { runVerifierChecks, verifierSettings } from "@/lib/verify/run-checks";
import { apiClient, sdlInput } from "../support/api-client";
import { startAgentProcess } from "../support/agent-process";
import { startApiServer } from "../support/api-server";
import { TEST_FEE_BPS, useTestChain } from "../support/chain";
import { until } from "../support/wait";

/**
 * Real provider agents (`bidcloud agent`, separate processes, local runtime) against the API
 * on PostgreSQL and anvil: they bid on an order, run the lease they win, refuse a tampered
 * manifest; an agent killed mid-lease stops the receipts, the verifier closes the lease as
 * unstable, the provider is paid only for verified time and the tenant gets the rest back —
 * checked in token balances on chain. The agents' GPU (gh200) is one no other test uses, so
 * they never bid on other tests' orders in the shared database.
 */
const USDC = 1_000_000n;
const GPU_MODEL = "gh200";

let testChain: Awaited<ReturnType<typeof useTestChain>>;
let runtime: ChainRuntime;
let server: Awaited<ReturnType<typeof startApiServer>>;
let api: ReturnType<typeof apiClient>;
const workDir = mkdtempSync(path.join(tmpdir(), "bidcloud-agent-test-"));
const agents: ChildProcess[] = [];

beforeAll(async () => {
  testChain = await useTestChain();
  runtime = chainRuntime()!;
  server = await startApiServer();
  api = apiClient(server.baseUrl);
});

afterAll(async () => {
  for (const agent of agents) agent.kill("SIGKILL");
  await server?.close();
  await testChain?.restore();
  rmSync(workDir, { recursive: true, force: true });
});

/** A provider with gh200 inventory and its agent process, pricing a GPU-hour at `gpuPrice`. */
async function startAgent(name: string, gpuPrice: string) {
  const provider = await api.provider({ inventory: [{ gpu: { model: GPU_MODEL, count: 2 } as never }] });
  const { child, output } = startAgentProcess({
    dir: workDir,
    name,
    apiBaseUrl: server.baseUrl,
    apiKey: provider.key,
    gpuPrices: { [GPU_MODEL]: gpuPrice },
    heartbeatSeconds: 1,
    floor: "0.10",
  });
  agents.push(child);
  // Ready once it has registered its signing key.
  await until(
    async () => (await api.call("GET", "/provider", { key: provider.key })).body.provider.signingAddress,
    () => `agent ${name} never registered its signing key:\n${output()}`,
    20_000,
  );
  return { provider, child, output };
}

async function fundedTenant() {
  const tenant = await api.signUp(["tenant"]);
  expect((await api.call("POST", "/wallet/faucet", { key: tenant.key })).status).toBe(202);
  expect((await drainChain(runtime)).idle).toBe(true);
  return tenant;
}

async function postDeployment(key: string) {
  const sdl = sdlInput().replace("model: h100", `model: ${GPU_MODEL}`);
  const posted = await api.call("POST", "/deployments", { key, body: { sdl } });
  expect(posted.status).toBe(201);
  return { id: posted.body.deployment.id as string, orderId: posted.body.orders[0].id as string };
}

const settings = { ...verifierSettings(), intervalSeconds: 1, heartbeatTtlSeconds: 3, maxFailures: 3 };

describe("provider agents", { timeout: 180_000 }, () => {
  let first: Awaited<ReturnType<typeof startAgent>>;
  let second: Awaited<ReturnType<typeof startAgent>>;

  beforeAll(async () => {
    [first, second] = [await startAgent("first", "1.50"), await startAgent("second", "1.80")];
  }, 60_000);

  it("bid on an order, run the won lease, and the provider is paid only for verified time when the agent dies", async () => {
    const tenant = await fundedTenant();
    const deployment = await postDeployment(tenant.key);
    expect(
      (
        await api.call("POST", `/deployments/${deployment.id}/deposits`, {
          key: tenant.key,
          body: { amount: "50" },
        })
      ).status,
    ).toBe(202);
    expect((await drainChain(runtime)).idle).toBe(true);

    // Both agents bid from their price tables: 1 GPU + 4 cores at $0.01.
    const bids = await until(
      async () => {
        const response = await api.call("GET", `/orders/${deployment.orderId}/bids`, { key: tenant.key });
        return response.body.bids.length === 2
          ? (response.body.bids as { id: string; pricePerHour: string }[])
          : null;
      },
      () => `two bids; agents said:\n${first.output()}\n${second.output()}`,
      10_000,
    );
    expect(bids.map((bid) => bid.pricePerHour).sort()).toEqual(["1.540000", "1.840000"]);
    const cheapest = bids.find((bid) => bid.pricePerHour === "1.540000")!;
    const lease = await api.acceptBid(tenant.key, cheapest.id);
    expect((await drainChain(runtime)).idle).toBe(true);

    // The losing agent's bid is lost; the winner fetches the manifest and runs the workload.
    const running = await until(
      async () => {
        const response = await api.call("GET", `/leases/${lease.id}`, { key: tenant.key });
        const workload = response.body.lease.workload;
        return workload?.status === "running" ? workload : null;
      },
      () => `a running workload; the agent said:\n${first.output()}`,
      20_000,
    );
    const uri = running.services[0].uris[0] as string;
    expect(uri).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${uri}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok", service: "web" });

    // The verifier checks it for a while: verified time grows.
    for (let round = 0; round < 6; round++) {
      await runVerifierChecks(new Date(), settings, { only: [lease.id] });
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    const verifiedWhileUp = (await db().leaseVerification.findUniqueOrThrow({ where: { leaseId: lease.id } }))
      .verifiedMillis;
    expect(verifiedWhileUp).toBeGreaterThanOrEqual(4_000n);
    expect(await scheduleSettlements(runtime.chain, runtime.settings)).toBe(1);
    expect((await drainChain(runtime)).idle).toBe(true);
    expect((await db().lease.findUniqueOrThrow({ where: { id: lease.id } })).settledSeconds).toBeGreaterThan(
      0,
    );

    // Logs and events came with the heartbeats.
    const logs = await api.call("GET", `/leases/${lease.id}/logs`, { key: tenant.key });
    expect(logs.body.lines.length).toBeGreaterThan(0);

    // The agent dies mid-lease; its workload goes with it, and the heartbeats stop.
    first.child.kill("SIGKILL");
    await until(
      async () => {
        await runVerifierChecks(new Date(), settings, { only: [lease.id] });
        const row = await db().lease.findUniqueOrThrow({ where: { id: lease.id } });
        return row.state === "closed" ? row : null;
      },
      () => "the lease to close as unstable",
      30_000,
    );
    const closed = await db().lease.findUniqueOrThrow({
      where: { id: lease.id },
      include: { verification: true },
    });
    expect(closed.closeReason).toBe("unstable");
    const verifiedSeconds = Number(closed.verification!.verifiedMillis / 1000n);
    // Nothing is counted after the agent died (at most the check that was in flight).
    expect(closed.verification!.verifiedMillis - verifiedWhileUp).toBeLessThanOrEqual(3_000n);
    await fetch(`${uri}/health`).then(
      () => expect.fail("the workload outlived its agent"),
      () => undefined,
    );

    // Closing the deployment refunds the rest: on chain, the provider got exactly the verified
    // seconds at the lease's rate (less the fee), the tenant everything else.
    expect((await api.call("POST", `/deployments/${deployment.id}/close`, { key: tenant.key })).status).toBe(
      200,
    );
    expect((await drainChain(runtime)).idle).toBe(true);
    const settled = await db().lease.findUniqueOrThrow({ where: { id: lease.id } });
    expect(settled.chainState).toBe("closed");
    expect(settled.settledSeconds).toBe(verifiedSeconds);
    const paid = costOf(ratePerSecond(1_540_000n), BigInt(verifiedSeconds));
    expect(settled.paidAmount).toBe(paid);
    const onChain = await runtime.chain.readLease(settled.chainLeaseId as Hex);
    expect(onChain).toEqual({ state: "closed", settledSeconds: verifiedSeconds, paid });
    const fee = (paid * BigInt(TEST_FEE_BPS) + 9_999n) / 10_000n;
    const providerAddress = (await api.call("GET", "/provider/earnings", { key: first.provider.key })).body
      .earnings.address as Hex;
    expect(await runtime.chain.owed(providerAddress)).toBe(paid - fee);
    const tenantAddress = (await api.call("GET", "/wallet", { key: tenant.key })).body.wallet.address as Hex;
    expect(await runtime.chain.tokenBalance(tenantAddress)).toBe(1000n * USDC - paid);
    const escrowAccount = await db().escrowAccount.findFirstOrThrow({
      where: { deploymentId: deployment.id },
    });
    expect(await runtime.chain.readAccount(escrowAccount.chainAccountId as Hex)).toEqual({
      state: "closed",
      balance: 0n,
    });
    expect((await reconcile(runtime.chain, runtime.settings)).differences).toEqual([]);
  });

  it("refuses a manifest whose hash does not match the lease's, and runs nothing", async () => {
    const tenant = await fundedTenant();
    const deployment = await postDeployment(tenant.key);
    const bid = await until(
      async () => {
        const response = await api.call("GET", `/orders/${deployment.orderId}/bids`, { key: tenant.key });
        return response.body.bids.find(
          (entry: { providerId: string }) => entry.providerId === second.provider.provider.id,
        );
      },
      () => `a bid from the second agent:\n${second.output()}`,
      10_000,
    );
    // The manifest is altered where it is kept; the lease still names the posted version.
    await db()
      .$executeRaw`UPDATE deployment SET manifest = replace(manifest, 'nginx:1.27', 'evil:latest') WHERE id = ${deployment.id}`;
    const lease = await api.acceptBid(tenant.key, bid.id as string);
    const refused = await until(
      async () => {
        const response = await api.call("GET", `/leases/${lease.id}/verification`, { key: tenant.key });
        return response.body.verification.status === "manifest_rejected" ? response.body.verification : null;
      },
      () => `the manifest refused; the agent said:\n${second.output()}`,
      15_000,
    );
    expect(refused.services.flatMap((service: { uris: string[] }) => service.uris)).toEqual([]);
    const event = refused.events.find((entry: { reason: string }) => entry.reason === "ManifestRejected");
    expect(event).toMatchObject({ source: "provider", type: "warning" });
    expect(event.message).toContain(
      (await db().deployment.findUniqueOrThrow({ where: { id: deployment.id } })).manifestVersion,
    );

    // Nothing runs, so nothing is verified; at the manifest timeout the lease closes.
    const opened = (await db().lease.findUniqueOrThrow({ where: { id: lease.id } })).createdAt;
    const round = await runVerifierChecks(
      new Date(opened.getTime() + settings.manifestTimeoutSeconds * 1000 + 1000),
      settings,
      { only: [lease.id] },
    );
    expect(round).toEqual({ checked: 1, verified: 0, closed: 1 });
    const closed = await api.call("GET", `/leases/${lease.id}`, { key: tenant.key });
    expect(closed.body.lease).toMatchObject({ state: "closed", closeReason: "manifest_timeout" });
  });
});
