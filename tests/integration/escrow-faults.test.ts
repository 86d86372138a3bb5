import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drainChain } from "@/lib/chain/drain";
import { processOutbox, type ChainRuntime } from "@/lib/chain/outbox-worker";
import { chainRuntime } from "@/lib/chain/runtime";
import { db } from "@/lib/db";
import { ledgerTotal } from "@/lib/escrow/ledger";
import { enqueueChainTx } from "@/lib/escrow/outbox";
import { reconcile } from "@/lib/escrow/reconcile";
import { scheduleSettlements } from "@/lib/escrow/settlement";
import { signerAddress } from "@/lib/escrow/settings";
import type { Hex } from "@/lib/escrow/chain-port";
import { privateKeyToAddress, generatePrivateKey } from "viem/accounts";
import { apiClient, sdlInput } from "../support/api-client";
import { startApiServer } from "../support/api-server";
import { increaseChainTime, useTestChain, type TestChain } from "../support/chain";
import { creditVerifiedTime } from "../support/verified-time";

/**
 * Faults the escrow must survive, on real PostgreSQL and a real anvil: the worker process
 * killed (SIGKILL) between each pair of steps, the RPC stopped and restarted mid-flow, and a
 * hundred leases settling at once.
 */
let testChain: Awaited<ReturnType<typeof useTestChain>>;
let chain: TestChain;
let runtime: ChainRuntime;
let server: Awaited<ReturnType<typeof startApiServer>>;
let api: ReturnType<typeof apiClient>;
const root = path.resolve(import.meta.dirname, "../..");

beforeAll(async () => {
  testChain = await useTestChain();
  chain = testChain.chain;
  runtime = chainRuntime()!;
  server = await startApiServer();
  api = apiClient(server.baseUrl);
});

afterAll(async () => {
  await server?.close();
  await testChain?.restore();
});

/** Runs the standalone worker (`--once`); resolves with how it ended. */
function runWorker(
  faultPoint?: string,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> {
  return new Promise((resolve) => {
    // One process (tsx as a loader, not its CLI), so the SIGKILL is the worker's own.
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/chain-worker.ts", "--once"], {
      cwd: root,
      env: { ...process.env, ...(faultPoint ? { FAULT_POINT: faultPoint } : { FAULT_POINT: "" }) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("exit", (code, signal) => resolve({ code, signal, output }));
  });
}

async function queueMints(count: number, label: string): Promise<{ to: Hex; amount: bigint }[]> {
  const mints = Array.from({ length: count }, (_, index) => ({
    to: privateKeyToAddress(generatePrivateKey()).toLowerCase() as Hex,
    amount: BigInt(1_000_000 + index),
  }));
  for (const [index, mint] of mints.entries()) {
    await enqueueChainTx(db(), {
      chainId: runtime.settings.chainId,
      call: { kind: "mint", ...mint },
      signer: "operator",
      fromAddress: signerAddress(runtime.settings, "operator"),
      idempotencyKey: `test-mint:${label}:${index}`,
    });
  }
  return mints;
}

/** Every intent of this chain confirmed, the operator's nonces contiguous and in step with the chain. */
async function expectNoNonceGap(): Promise<void> {
  const operator = signerAddress(runtime.settings, "operator");
  const rows = await db().chainTx.findMany({
    where: { chainId: runtime.settings.chainId, fromAddress: operator },
    select: { nonce: true, status: true },
    orderBy: { nonce: "asc" },
  });
  expect(rows.every((row) => row.status === "confirmed")).toBe(true);
  const nonces = rows.map((row) => row.nonce);
  expect(nonces).toEqual(nonces.map((_, index) => index));
  const stored = await db().chainNonce.findUniqueOrThrow({
    where: { chainId_address: { chainId: runtime.settings.chainId, address: operator } },
  });
  expect(await runtime.chain.pendingNonce(operator)).toBe(stored.next);
  expect(stored.next).toBe(rows.length);
}

describe("escrow faults", () => {
  for (const point of [
    "outbox.before-sign",
    "outbox.after-sign",
    "outbox.after-send",
    "outbox.before-confirm",
  ]) {
    it(`a worker killed at ${point} leaves every intent with exactly one effect after restart`, async () => {
      const mints = await queueMints(3, point);
      const killed = await runWorker(point);
      expect(killed.signal, killed.output).toBe("SIGKILL");
      const restarted = await runWorker();
      expect(restarted.code, restarted.output).toBe(0);
      for (const mint of mints) expect(await runtime.chain.tokenBalance(mint.to)).toBe(mint.amount);
      await expectNoNonceGap();
    }, 120_000);
  }

  it("resumes after the RPC stops and restarts mid-flow, with no nonce gap and nothing lost", async () => {
    const mints = await queueMints(6, "rpc");
    let sends = 0;
    const flaky: ChainRuntime = {
      settings: runtime.settings,
      chain: {
        ...runtime.chain,
        async sendRawTransaction(rawTx) {
          sends++;
          if (sends === 3) await chain.stopRpc();
          return runtime.chain.sendRawTransaction(rawTx);
        },
      },
    };
    await processOutbox(flaky).catch(() => undefined);
    const states = await db().chainTx.groupBy({
      by: ["status"],
      where: { idempotencyKey: { startsWith: "test-mint:rpc:" } },
      _count: { _all: true },
    });
    expect(states.some((group) => group.status !== "confirmed")).toBe(true);
    await expect(processOutbox(runtime)).rejects.toThrow();
    await chain.startRpc();
    expect((await drainChain(runtime)).idle).toBe(true);
    for (const mint of mints) expect(await runtime.chain.tokenBalance(mint.to)).toBe(mint.amount);
    await expectNoNonceGap();
  }, 120_000);

  it("settles a hundred leases at once and the ledger, the database and the chain agree to the base unit", async () => {
    const tenant = await api.signUp(["tenant"]);
    expect((await api.call("POST", "/wallet/faucet", { key: tenant.key })).status).toBe(202);
    const provider = await api.provider({ inventory: Array.from({ length: 13 }, () => ({})) });
    expect((await drainChain(runtime)).idle).toBe(true);
    const leaseIds: string[] = [];
    for (let index = 0; index < 100; index++) {
      const posted = await api.call("POST", "/deployments", { key: tenant.key, body: { sdl: sdlInput() } });
      expect(posted.status).toBe(201);
      const deposit = await api.call("POST", `/deployments/${posted.body.deployment.id}/deposits`, {
        key: tenant.key,
        body: { amount: "5" },
      });
      expect(deposit.status).toBe(202);
      const bid = await api.placeBid(provider.key, posted.body.orders[0].id, `1.${index % 10}50000`);
      leaseIds.push((await api.acceptBid(tenant.key, bid.id)).id);
    }
    expect((await drainChain(runtime, { timeoutMs: 120_000 })).idle).toBe(true);
    expect(await db().lease.count({ where: { id: { in: leaseIds }, chainState: "open" } })).toBe(100);

    await increaseChainTime(chain.rpcUrl, 900);
    for (const leaseId of leaseIds) await creditVerifiedTime(leaseId, 900);
    expect(await scheduleSettlements(runtime.chain, runtime.settings)).toBe(100);
    expect((await drainChain(runtime, { timeoutMs: 120_000 })).idle).toBe(true);

    const leases = await db().lease.findMany({ where: { id: { in: leaseIds } } });
    expect(leases.every((lease) => lease.paidAmount > 0n)).toBe(true);
    for (const lease of leases) {
      const onChain = await runtime.chain.readLease(lease.chainLeaseId as Hex);
      expect(onChain.paid).toBe(lease.paidAmount);
    }
    const result = await reconcile(runtime.chain, runtime.settings);
    expect(result.differences).toEqual([]);
    expect(await ledgerTotal(db())).toBe(0n);
  }, 300_000);
});
