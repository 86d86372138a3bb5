import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drainChain } from "@/lib/chain/drain";
import { chainRuntime } from "@/lib/chain/runtime";
import type { ChainRuntime } from "@/lib/chain/outbox-worker";
import { db } from "@/lib/db";
import { costOf, ratePerSecond } from "@/lib/escrow/amounts";
import { ledgerTotal } from "@/lib/escrow/ledger";
import { reconcile } from "@/lib/escrow/reconcile";
import { scheduleSettlements } from "@/lib/escrow/settlement";
import { apiClient, sdlInput } from "../support/api-client";
import { startApiServer } from "../support/api-server";
import { increaseChainTime, useTestChain } from "../support/chain";
import { creditVerifiedTime } from "../support/verified-time";

/**
 * The escrow end to end on real PostgreSQL and a real anvil: faucet, deposit, accept (lease
 * opens on chain), settlement by usage receipt, withdrawal, close with refund, and the
 * database, ledger and chain agreeing to the base unit afterwards.
 */
let testChain: Awaited<ReturnType<typeof useTestChain>>;
let runtime: ChainRuntime;
let server: Awaited<ReturnType<typeof startApiServer>>;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  testChain = await useTestChain();
  runtime = chainRuntime()!;
  server = await startApiServer();
  api = apiClient(server.baseUrl);
});

afterAll(async () => {
  await server?.close();
  await testChain?.restore();
});

const USDC = 1_000_000n;

const increaseTime = (seconds: number) => increaseChainTime(testChain.chain.rpcUrl, seconds);

async function fundedTenant() {
  const tenant = await api.signUp(["tenant"]);
  const faucet = await api.call("POST", "/wallet/faucet", { key: tenant.key });
  expect(faucet.status).toBe(202);
  expect((await drainChain(runtime)).idle).toBe(true);
  return tenant;
}

async function postDeployment(key: string) {
  const response = await api.call("POST", "/deployments", { key, body: { sdl: sdlInput() } });
  expect(response.status).toBe(201);
  return { id: response.body.deployment.id as string, orderId: response.body.orders[0].id as string };
}

describe("escrow on chain", { timeout: 120_000 }, () => {
  it("moves money only by deposit, verified settlement, withdrawal and refund, and the database agrees with the chain", async () => {
    const tenant = await fundedTenant();
    const wallet = await api.call("GET", "/wallet", { key: tenant.key });
    expect(wallet.body.wallet.balance).toBe("1000.000000");

    const provider = await api.provider();
    const deployment = await postDeployment(tenant.key);
    const deposit = await api.call("POST", `/deployments/${deployment.id}/deposits`, {
      key: tenant.key,
      body: { amount: "100.5" },
    });
    expect(deposit.status).toBe(202);
    expect(deposit.body.deposit.amount).toBe("100.500000");
    expect((await drainChain(runtime)).idle).toBe(true);

    let escrow = await api.call("GET", `/deployments/${deployment.id}/escrow`, { key: tenant.key });
    expect(escrow.body.escrow).toMatchObject({
      state: "open",
      balance: "100.500000",
      deposited: "100.500000",
    });
    expect((await api.call("GET", "/wallet", { key: tenant.key })).body.wallet.balance).toBe("899.500000");

    const bid = await api.placeBid(provider.key, deployment.orderId, "2.000000");
    const lease = await api.acceptBid(tenant.key, bid.id);
    expect((await drainChain(runtime)).idle).toBe(true);
    const opened = await api.call("GET", `/leases/${lease.id}`, { key: tenant.key });
    expect(opened.body.lease.escrow).toMatchObject({ state: "open", settledSeconds: 0, paid: "0.000000" });

    await increaseTime(3600);
    await creditVerifiedTime(lease.id, 3600);
    expect(await scheduleSettlements(runtime.chain, runtime.settings)).toBe(1);
    expect((await drainChain(runtime)).idle).toBe(true);
    const settled = await db().lease.findUniqueOrThrow({ where: { id: lease.id } });
    expect(settled.settledSeconds).toBe(3600);
    const rate = ratePerSecond(2n * USDC);
    expect(settled.paidAmount).toBe(costOf(rate, BigInt(settled.settledSeconds)));
    const fee = (settled.paidAmount * 250n + 9_999n) / 10_000n;

    const earnings = await api.call("GET", "/provider/earnings", { key: provider.key });
    expect(earnings.status).toBe(200);
    const withdrawable = settled.paidAmount - fee;
    expect(earnings.body.earnings.withdrawable).toBe(formatUnits(withdrawable));

    const withdrawal = await api.call("POST", "/provider/withdrawals", { key: provider.key, body: {} });
    expect(withdrawal.status).toBe(202);
    expect((await drainChain(runtime)).idle).toBe(true);
    const providerAddress = earnings.body.earnings.address as `0x${string}`;
    expect(await runtime.chain.tokenBalance(providerAddress)).toBe(withdrawable);
    const after = await api.call("GET", "/provider/earnings", { key: provider.key });
    expect(after.body.earnings.withdrawable).toBe("0.000000");
    expect(after.body.earnings.payouts).toHaveLength(1);
    expect(after.body.earnings.payouts[0].txHash).toMatch(/^0x[0-9a-f]{64}$/);

    const closed = await api.call("POST", `/deployments/${deployment.id}/close`, { key: tenant.key });
    expect(closed.status).toBe(200);
    expect((await drainChain(runtime)).idle).toBe(true);
    escrow = await api.call("GET", `/deployments/${deployment.id}/escrow`, { key: tenant.key });
    expect(escrow.body.escrow.state).toBe("closed");
    expect(escrow.body.escrow.balance).toBe("0.000000");
    const totalPaid = (await db().lease.findUniqueOrThrow({ where: { id: lease.id } })).paidAmount;
    const tenantWallet = await api.call("GET", "/wallet", { key: tenant.key });
    expect(tenantWallet.body.wallet.balance).toBe(formatUnits(1000n * USDC - totalPaid));

    const result = await reconcile(runtime.chain, runtime.settings);
    expect(result.differences).toEqual([]);
    expect(await ledgerTotal(db())).toBe(0n);
  });

  it("refuses bad deposit amounts with the field named, and writes nothing", async () => {
    const tenant = await fundedTenant();
    const deployment = await postDeployment(tenant.key);
    const before = await db().chainTx.count();
    for (const [amount, status] of [
      ["-5", 422],
      ["0", 422],
      ["0.0000001", 422],
      ["1.1234567", 422],
      ["abc", 422],
      [5, 422],
      ["1000.000001", 402],
      ["5000", 402],
    ] as const) {
      const response = await api.call("POST", `/deployments/${deployment.id}/deposits`, {
        key: tenant.key,
        body: { amount },
      });
      expect(response.status, `amount ${amount}`).toBe(status);
      expect(response.body.error.fields[0].path).toBe("amount");
    }
    expect(await db().chainTx.count()).toBe(before);
  });

  it("queues one deposit for a repeated Idempotency-Key", async () => {
    const tenant = await fundedTenant();
    const deployment = await postDeployment(tenant.key);
    const send = () =>
      api.call("POST", `/deployments/${deployment.id}/deposits`, {
        key: tenant.key,
        body: { amount: "10" },
        headers: { "idempotency-key": "top-up-1" },
      });
    const [first, second] = [await send(), await send()];
    expect(first.status).toBe(202);
    expect(second.body).toEqual(first.body);
    expect((await drainChain(runtime)).idle).toBe(true);
    const escrow = await api.call("GET", `/deployments/${deployment.id}/escrow`, { key: tenant.key });
    expect(escrow.body.escrow.balance).toBe("10.000000");
  });

  it("closes a lease as insufficient_funds when the escrow runs dry, paying what it holds", async () => {
    const tenant = await fundedTenant();
    const provider = await api.provider();
    const deployment = await postDeployment(tenant.key);
    await api.call("POST", `/deployments/${deployment.id}/deposits`, {
      key: tenant.key,
      body: { amount: "1" },
    });
    const bid = await api.placeBid(provider.key, deployment.orderId, "2.000000");
    const lease = await api.acceptBid(tenant.key, bid.id);
    expect((await drainChain(runtime)).idle).toBe(true);
    await increaseTime(3600);
    await creditVerifiedTime(lease.id, 3600);
    await scheduleSettlements(runtime.chain, runtime.settings);
    expect((await drainChain(runtime)).idle).toBe(true);
    const row = await db().lease.findUniqueOrThrow({ where: { id: lease.id } });
    expect(row).toMatchObject({ state: "closed", closeReason: "insufficient_funds", chainState: "closed" });
    expect(row.paidAmount).toBe(1n * USDC);
    const escrow = await api.call("GET", `/deployments/${deployment.id}/escrow`, { key: tenant.key });
    expect(escrow.body.escrow).toMatchObject({ state: "overdrawn", balance: "0.000000" });
    expect((await reconcile(runtime.chain, runtime.settings)).differences).toEqual([]);
  });

  it("refuses to accept onto an overdrawn escrow until a deposit reopens it", async () => {
    const tenant = await fundedTenant();
    const provider = await api.provider();
    const posted = await api.call("POST", "/deployments", { key: tenant.key, body: { sdl: twoGroupSdl() } });
    expect(posted.status).toBe(201);
    const deploymentId = posted.body.deployment.id as string;
    const [first, second] = posted.body.orders as { id: string }[];
    const lease = await api.acceptBid(
      tenant.key,
      (await api.placeBid(provider.key, first!.id, "2.000000")).id,
    );
    expect((await drainChain(runtime)).idle).toBe(true);
    await increaseTime(600);
    await creditVerifiedTime(lease.id, 600);
    await scheduleSettlements(runtime.chain, runtime.settings);
    expect((await drainChain(runtime)).idle).toBe(true);
    // An empty escrow pays nothing, yet the seconds the receipt covered are recorded.
    const dry = await db().lease.findUniqueOrThrow({ where: { id: lease.id } });
    expect(dry).toMatchObject({ closeReason: "insufficient_funds", paidAmount: 0n });
    expect(dry.settledSeconds).toBe(600);
    expect((await reconcile(runtime.chain, runtime.settings)).differences).toEqual([]);

    const bid = await api.placeBid(provider.key, second!.id, "1.000000");
    const refused = await api.call("POST", `/bids/${bid.id}/accept`, { key: tenant.key });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/ran out of funds/);
    await api.call("POST", `/deployments/${deploymentId}/deposits`, {
      key: tenant.key,
      body: { amount: "3" },
    });
    expect((await drainChain(runtime)).idle).toBe(true);
    const accepted = await api.call("POST", `/bids/${bid.id}/accept`, { key: tenant.key });
    expect(accepted.status).toBe(201);
    expect((await drainChain(runtime)).idle).toBe(true);
    expect(
      (await api.call("GET", `/leases/${accepted.body.lease.id}`, { key: tenant.key })).body.lease.escrow
        .state,
    ).toBe("open");
  });
});

/** Two placement groups: a GPU web service in "dc" and a CPU-only worker in "edge". */
function twoGroupSdl(): string {
  return sdlInput()
    .replace("services:\n", "services:\n  worker:\n    image: busybox:1.36\n")
    .replace(
      "profiles:\n  compute:\n",
      "profiles:\n  compute:\n    worker:\n      resources:\n        cpu:\n          units: 1\n        memory:\n          size: 1Gi\n        storage:\n          size: 1Gi\n",
    )
    .replace(
      "  placement:\n",
      "  placement:\n    edge:\n      pricing:\n        worker:\n          denom: uact\n          amount: 5000\n",
    )
    .replace("deployment:\n", "deployment:\n  worker:\n    edge:\n      profile: worker\n      count: 1\n");
}

function formatUnits(units: bigint): string {
  return `${units / USDC}.${(units % USDC).toString().padStart(6, "0")}`;
}
