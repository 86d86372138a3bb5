/**
 * Escrow benchmarks, in this process, on a PostgreSQL database made for the run and a local
 * anvil with the escrow deployed; the real /api/v1 dispatcher is served over HTTP and driven
 * with fetch.
 *
 *  1. accept -> lease open on chain, with the job runner the server runs (pg-boss): latency
 *     from the accept response to the lease row showing `chainState = open`
 *  2. settlement of a hundred open leases: scheduleSettlements + drainChain until every lease
 *     shows paid in the database and reconciliation finds no difference; then the settle
 *     transactions' gas from their receipts, for a lease's first settlement and a second one
 *
 *   npx tsx scripts/bench-escrow.ts
 */
import { randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import pg from "pg";
import { createPublicClient, http, type Hex } from "viem";
import { apiClient, sdlInput } from "../tests/support/api-client";
import { startTestChain, type TestChain } from "../tests/support/chain";

const root = path.resolve(import.meta.dirname, "..");
const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export const OPEN_SAMPLES = 30;
export const SETTLED_LEASES = 100;
/** 13 items of 8 GPUs: room for the hundred one-GPU leases of one provider. */
const INVENTORY_ITEMS = 13;
const DEPOSIT_USDC = "5";
const LEASE_POLL_MS = 25;
/** lib/chain/jobs.ts queues the outbox and indexer jobs this often. */
const RUNNER_TICK_MS = 1_000;
const CHAIN_SECONDS_BETWEEN_ROUNDS = 900;
const WAIT_TIMEOUT_MS = 120_000;
const SETTLE_GAS_TARGET = 80_000;
/** Akash's target block time, the least a lease takes to start there. */
const AKASH_BLOCK_MS = 6_000;

export interface GasStats {
  transactions: number;
  median: number;
  min: number;
  max: number;
}

export interface SettlementRound {
  leases: number;
  seconds: number;
  leasesPerMinute: number;
  reconcileSeconds: number;
  differences: number;
  gas: GasStats;
}

export interface EscrowBenchResult {
  postgres: string;
  anvil: string;
  /** The machine's 1-minute load average when the benchmark started and ended (others may share it). */
  loadAverage: { start: number; end: number };
  leaseOpen: { samples: number; p50Ms: number; p95Ms: number; maxMs: number };
  firstSettlement: SettlementRound;
  warmSettlement: SettlementRound;
}

type Api = ReturnType<typeof apiClient>;

export async function benchEscrow(): Promise<EscrowBenchResult> {
  const savedEnv = { ...process.env };
  const loadAtStart = os.loadavg()[0] ?? 0;
  const name = `bidcloud_bench_escrow_${Date.now()}_${randomBytes(3).toString("hex")}`;
  let chain: TestChain | undefined;
  let databaseCreated = false;
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    await asAdmin(`CREATE DATABASE ${name}`);
    databaseCreated = true;
    const databaseUrl = new URL(ADMIN_URL);
    databaseUrl.pathname = `/${name}`;
    const { migrate } = await import("@/lib/db/migrate");
    await migrate(databaseUrl.toString(), { migrationsDir: path.join(root, "prisma/migrations") });

    chain = await startTestChain();
    Object.assign(process.env, {
      ...chain.env,
      DATABASE_URL: databaseUrl.toString(),
      AUTH_SECRET: randomBytes(32).toString("hex"),
      PASSWORD_SCRYPT_LOG_N: "14",
      AUTH_RATE_LIMIT_PER_MINUTE: "100000",
      LOG_LEVEL: "warn",
    });
    // Imported only now: these read lib/env, whose cache may predate the variables above.
    const { resetEnvForTests } = await import("@/lib/env");
    resetEnvForTests();
    const { chainRuntime } = await import("@/lib/chain/runtime");
    const { disconnectDb } = await import("@/lib/db");
    const { startApiServer } = await import("../tests/support/api-server");
    cleanups.unshift(() => disconnectDb());
    const runtime = chainRuntime();
    if (!runtime) throw new Error("the chain is not configured");
    const server = await startApiServer();
    cleanups.unshift(() => server.close());
    const api = apiClient(server.baseUrl);

    const postgres = await serverVersion(databaseUrl.toString());
    const anvil = await rpc<string>(chain.rpcUrl, "web3_clientVersion");

    process.stdout.write(`escrow 1/2: accept to lease open, ${OPEN_SAMPLES} leases...\n`);
    const { result: leaseOpen, ...earlier } = await benchLeaseOpen(api, runtime);
    process.stdout.write(`${JSON.stringify(leaseOpen)}\nescrow 2/2: settling ${SETTLED_LEASES} leases...\n`);
    const { firstSettlement, warmSettlement } = await benchSettlement(api, runtime, chain.rpcUrl, earlier);
    process.stdout.write(`${JSON.stringify({ firstSettlement, warmSettlement })}\n`);
    const loadAverage = { start: round(loadAtStart), end: round(os.loadavg()[0] ?? 0) };
    return { postgres, anvil, loadAverage, leaseOpen, firstSettlement, warmSettlement };
  } finally {
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
    await chain?.stop().catch(() => undefined);
    if (databaseCreated) await asAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    process.env = savedEnv;
    const { resetEnvForTests } = await import("@/lib/env");
    resetEnvForTests();
  }
}

type Runtime = NonNullable<ReturnType<(typeof import("@/lib/chain/runtime"))["chainRuntime"]>>;

/**
 * With the server's job runner (it ticks every second; each queue polls every 0.5 s), one lease
 * at a time: the accept response, then the lease row polled until the indexer has seen the
 * contract open it.
 */
async function benchLeaseOpen(
  api: Api,
  runtime: Runtime,
): Promise<{ result: EscrowBenchResult["leaseOpen"]; tenantKey: string; deploymentIds: string[] }> {
  const { startChainJobs } = await import("@/lib/chain/jobs");
  const { db } = await import("@/lib/db");
  const jobs = await startChainJobs(runtime);
  try {
    const tenant = await api.signUp(["tenant"]);
    await must(api.call("POST", "/wallet/faucet", { key: tenant.key }), 202);
    await waitFor("the faucet's tokens in the wallet", async () => {
      const wallet = (await must(api.call("GET", "/wallet", { key: tenant.key }), 200)).wallet;
      return Number(wallet.balance) > 0;
    });
    const provider = await api.provider({ inventory: Array.from({ length: INVENTORY_ITEMS }, () => ({})) });
    const deployments: { deploymentId: string; orderId: string }[] = [];
    for (let index = 0; index < OPEN_SAMPLES; index++)
      deployments.push(await postFundedDeployment(api, tenant.key));
    await waitFor("the deposits confirmed", async () => {
      const failed = await db().chainTx.count({
        where: { chainId: runtime.settings.chainId, status: "failed" },
      });
      if (failed > 0) throw new Error(`${failed} chain transactions failed`);
      const [confirmed, inFlight] = await Promise.all([
        db().chainTx.count({
          where: { chainId: runtime.settings.chainId, kind: "deposit", status: "confirmed" },
        }),
        db().chainTx.count({
          where: { chainId: runtime.settings.chainId, status: { in: ["pending", "signed", "submitted"] } },
        }),
      ]);
      return confirmed === OPEN_SAMPLES && inFlight === 0;
    });

    const latencies: number[] = [];
    for (const [index, { orderId }] of deployments.entries()) {
      const bid = await api.placeBid(provider.key, orderId, price(index));
      // Accepted right after the previous lease opened, every accept would fall at the same
      // phase of the runner's one-second tick; a random pause spreads them over the whole tick.
      await sleep(Math.random() * RUNNER_TICK_MS);
      const lease = await api.acceptBid(tenant.key, bid.id);
      const accepted = performance.now();
      const deadline = accepted + WAIT_TIMEOUT_MS;
      for (;;) {
        const row = await db().lease.findUniqueOrThrow({
          where: { id: lease.id },
          select: { chainState: true },
        });
        if (row.chainState === "open") break;
        if (performance.now() > deadline) throw new Error(`lease ${lease.id} not open on chain in time`);
        await sleep(LEASE_POLL_MS);
      }
      latencies.push(performance.now() - accepted);
    }
    return {
      result: {
        samples: latencies.length,
        p50Ms: round(percentile(latencies, 50)),
        p95Ms: round(percentile(latencies, 95)),
        maxMs: round(Math.max(...latencies)),
      },
      tenantKey: tenant.key,
      deploymentIds: deployments.map((deployment) => deployment.deploymentId),
    };
  } finally {
    await jobs.stop();
  }
}

/**
 * With the job runner stopped: the first benchmark's deployments closed, a hundred leases
 * opened on chain, chain time moved on, then two settlement rounds (a lease's first
 * settlement writes storage a later one only updates, so their gas differs).
 */
async function benchSettlement(
  api: Api,
  runtime: Runtime,
  rpcUrl: string,
  earlier: { tenantKey: string; deploymentIds: string[] },
): Promise<{ firstSettlement: SettlementRound; warmSettlement: SettlementRound }> {
  const { drainChain } = await import("@/lib/chain/drain");
  const { db } = await import("@/lib/db");

  // Their leases would otherwise settle in the same rounds.
  for (const deploymentId of earlier.deploymentIds)
    await must(api.call("POST", `/deployments/${deploymentId}/close`, { key: earlier.tenantKey }), 200);
  await drainOrThrow(drainChain, runtime);

  const tenant = await api.signUp(["tenant"]);
  await must(api.call("POST", "/wallet/faucet", { key: tenant.key }), 202);
  const provider = await api.provider({ inventory: Array.from({ length: INVENTORY_ITEMS }, () => ({})) });
  await drainOrThrow(drainChain, runtime);
  const leaseIds: string[] = [];
  for (let index = 0; index < SETTLED_LEASES; index++) {
    const { orderId } = await postFundedDeployment(api, tenant.key);
    const bid = await api.placeBid(provider.key, orderId, price(index));
    leaseIds.push((await api.acceptBid(tenant.key, bid.id)).id);
  }
  await drainOrThrow(drainChain, runtime);
  const open = await db().lease.count({ where: { chainState: "open" } });
  const ours = await db().lease.count({ where: { id: { in: leaseIds }, chainState: "open" } });
  if (open !== SETTLED_LEASES || ours !== SETTLED_LEASES)
    throw new Error(
      `expected exactly ${SETTLED_LEASES} leases open on chain, found ${open} (${ours} of ours)`,
    );

  const publicClient = createPublicClient({ transport: http(rpcUrl) });
  const firstSettlement = await settlementRound(runtime, rpcUrl, leaseIds, publicClient);
  const warmSettlement = await settlementRound(runtime, rpcUrl, leaseIds, publicClient);
  return { firstSettlement, warmSettlement };
}

async function settlementRound(
  runtime: Runtime,
  rpcUrl: string,
  leaseIds: string[],
  publicClient: ReturnType<typeof createPublicClient>,
): Promise<SettlementRound> {
  const { drainChain } = await import("@/lib/chain/drain");
  const { db } = await import("@/lib/db");
  const { reconcile } = await import("@/lib/escrow/reconcile");
  const { scheduleSettlements } = await import("@/lib/escrow/settlement");

  const before = new Map(
    (
      await db().lease.findMany({
        where: { id: { in: leaseIds } },
        select: { id: true, settledSeconds: true, paidAmount: true },
      })
    ).map((lease) => [lease.id, lease]),
  );
  const earlierSettles = new Set(
    (await db().chainTx.findMany({ where: { kind: "settle" }, select: { id: true } })).map((row) => row.id),
  );
  await rpc(rpcUrl, "evm_increaseTime", [CHAIN_SECONDS_BETWEEN_ROUNDS]);
  await rpc(rpcUrl, "evm_mine");
  // The verifier's part (heartbeats and probes) is benchmarked on its own; here every lease
  // is credited the round's time as verified, so each one settles.
  const { creditVerifiedTime } = await import("../tests/support/verified-time");
  for (const leaseId of leaseIds) await creditVerifiedTime(leaseId, CHAIN_SECONDS_BETWEEN_ROUNDS);

  const started = performance.now();
  const queued = await scheduleSettlements(runtime.chain, runtime.settings);
  if (queued !== leaseIds.length)
    throw new Error(`${queued} settlements queued for ${leaseIds.length} leases`);
  const deadline = started + WAIT_TIMEOUT_MS;
  let settledMs: number | undefined;
  let reconcileMs = 0;
  let differences = -1;
  while (performance.now() < deadline) {
    await drainChain(runtime, { timeoutMs: Math.max(1_000, deadline - performance.now()) });
    const leases = await db().lease.findMany({
      where: { id: { in: leaseIds } },
      select: { id: true, settledSeconds: true, paidAmount: true },
    });
    const allPaid = leases.every((lease) => {
      const previous = before.get(lease.id);
      return (
        previous !== undefined &&
        lease.settledSeconds > previous.settledSeconds &&
        lease.paidAmount > previous.paidAmount
      );
    });
    if (!allPaid) continue;
    settledMs = performance.now() - started;
    const reconciling = performance.now();
    const result = await reconcile(runtime.chain, runtime.settings);
    reconcileMs = performance.now() - reconciling;
    differences = result.differences.length;
    if (differences === 0) break;
  }
  if (settledMs === undefined) throw new Error("the leases were not all settled in time");

  const settles = (
    await db().chainTx.findMany({
      where: { kind: "settle", leaseId: { in: leaseIds } },
      select: { id: true, status: true, txHash: true },
    })
  ).filter((row) => !earlierSettles.has(row.id));
  const unconfirmed = settles.filter((row) => row.status !== "confirmed" || !row.txHash);
  if (unconfirmed.length > 0) throw new Error(`${unconfirmed.length} settle transactions not confirmed`);
  const gasUsed: number[] = [];
  for (const row of settles) {
    const receipt = await publicClient.getTransactionReceipt({ hash: row.txHash as Hex });
    gasUsed.push(Number(receipt.gasUsed));
  }

  const seconds = settledMs / 1000;
  return {
    leases: leaseIds.length,
    seconds: round(seconds),
    leasesPerMinute: Math.round(leaseIds.length / (seconds / 60)),
    reconcileSeconds: round(reconcileMs / 1000),
    differences,
    gas: {
      transactions: gasUsed.length,
      median: percentile(gasUsed, 50),
      min: Math.min(...gasUsed),
      max: Math.max(...gasUsed),
    },
  };
}

/** The table rows for docs/benchmarks.md. */
export function escrowRows(result: EscrowBenchResult): string[] {
  const { leaseOpen, firstSettlement: first, warmSettlement: warm } = result;
  const gas = (stats: GasStats) =>
    `median ${count(stats.median)}, min ${count(stats.min)}, max ${count(stats.max)}; ${stats.transactions} transactions`;
  const throughput = (round: SettlementRound) =>
    `${count(round.leasesPerMinute)} leases/min (${round.leases} in ${round.seconds.toFixed(1)} s); then reconciliation in ${round.reconcileSeconds.toFixed(1)} s: ${round.differences === 0 ? "0 differences" : `**${round.differences} differences**`}`;
  const agreement = (round: SettlementRound) =>
    round.differences === 0 ? "database and chain agree" : "**database and chain differ**";
  return [
    `| escrow: accept → lease open on chain, with the server's job runner (pg-boss: a tick every 1 s, queues polled every 0.5 s), ${leaseOpen.samples} leases one at a time, each accepted after a random 0–1 s pause (so the accepts fall at every phase of the tick), each deployment holding a confirmed ${DEPOSIT_USDC} USDC deposit; from the accept response until the lease row reads \`chainState = open\` (polled every ${LEASE_POLL_MS} ms) | p50 ${ms(leaseOpen.p50Ms)}, p95 ${ms(leaseOpen.p95Ms)}, max ${ms(leaseOpen.maxMs)} | none in the spec ("a running lease in seconds"); for comparison, Akash needs at least one block, ~6 s | ${leaseOpen.p95Ms < AKASH_BLOCK_MS ? "p95 under one Akash block" : "**p95 over one Akash block**"} |`,
    `| escrow: settlement throughput, ${first.leases} leases open on chain, chain time +${CHAIN_SECONDS_BETWEEN_ROUNDS} s, \`scheduleSettlements\` + \`drainChain\` (outbox and indexer in a loop, 100 ms pauses) until every lease shows new settled seconds and paid amount in the database; each lease's first settlement | ${throughput(first)} | none in the spec | ${agreement(first)} |`,
    `| escrow: settlement throughput, the same leases settled a second time (+${CHAIN_SECONDS_BETWEEN_ROUNDS} s) | ${throughput(warm)} | none in the spec | ${agreement(warm)} |`,
    `| escrow: settle gas from the receipts, each lease's first settlement (its settled slot written from zero; the very first also creates the provider's \`owed\` entry) | ${gas(first.gas)} | ≤ ${count(SETTLE_GAS_TARGET)} on a warm lease, so not this case | ${first.gas.median <= SETTLE_GAS_TARGET ? `within ${count(SETTLE_GAS_TARGET)}` : `above ${count(SETTLE_GAS_TARGET)} (not the target's case)`} |`,
    `| escrow: settle gas from the receipts, second settlement (warm lease) | ${gas(warm.gas)} | ≤ ${count(SETTLE_GAS_TARGET)} per settle on a warm lease | ${warm.gas.max <= SETTLE_GAS_TARGET ? "meets target" : "**misses target**"} |`,
  ];
}

/** The setup note that goes above the rows. */
export function escrowSetup(result: EscrowBenchResult): string {
  return `Escrow rows: in the benchmark's own process with no server running; the real \`/api/v1\` dispatcher over HTTP, a PostgreSQL database made for the run, ${result.anvil} (a block per transaction) with the escrow deployed. 1-minute load average ${result.loadAverage.start} at the start, ${result.loadAverage.end} at the end (other work may share the machine).`;
}

async function postFundedDeployment(
  api: Api,
  tenantKey: string,
): Promise<{ deploymentId: string; orderId: string }> {
  const posted = await must(
    api.call("POST", "/deployments", { key: tenantKey, body: { sdl: sdlInput() } }),
    201,
  );
  await must(
    api.call("POST", `/deployments/${posted.deployment.id}/deposits`, {
      key: tenantKey,
      body: { amount: DEPOSIT_USDC },
    }),
    202,
  );
  return { deploymentId: posted.deployment.id as string, orderId: posted.orders[0].id as string };
}

async function must(response: Promise<{ status: number; body: any }>, status: number): Promise<any> {
  const result = await response;
  if (result.status !== status)
    throw new Error(`expected ${status}, got ${result.status}: ${JSON.stringify(result.body)}`);
  return result.body;
}

async function drainOrThrow(
  drainChain: (typeof import("@/lib/chain/drain"))["drainChain"],
  runtime: Runtime,
): Promise<void> {
  const { idle } = await drainChain(runtime, { timeoutMs: WAIT_TIMEOUT_MS });
  if (!idle) throw new Error("the chain work did not drain in time");
  const { db } = await import("@/lib/db");
  const failed = await db().chainTx.count({ where: { chainId: runtime.settings.chainId, status: "failed" } });
  if (failed > 0) throw new Error(`${failed} chain transactions failed`);
}

async function waitFor(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + WAIT_TIMEOUT_MS;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

async function rpc<T = unknown>(rpcUrl: string, method: string, params: unknown[] = []): Promise<T> {
  const response = await fetch(rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await response.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result as T;
}

async function asAdmin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function serverVersion(databaseUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (
      (await client.query<{ server_version: string }>("SHOW server_version")).rows[0]?.server_version ?? "?"
    );
  } finally {
    await client.end();
  }
}

/** Bids spread over ten prices, as in the escrow fault tests. */
const price = (index: number) => `1.${index % 10}50000`;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

const round = (value: number) => Math.round(value * 10) / 10;
const ms = (value: number) => `${value.toFixed(0)} ms`;
const count = (value: number) => value.toLocaleString("en-US");
const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const result = await benchEscrow();
  process.stdout.write(`${escrowRows(result).join("\n")}\n`);
}
