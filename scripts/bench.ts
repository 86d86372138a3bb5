/**
 * `npm run bench`: measures the marketplace on this machine against the production server
 * on the local PostgreSQL, and appends the results to docs/benchmarks.md.
 *
 *  1. bid placement over HTTP (autocannon): requests/s and latency percentiles
 *  2. accept under contention: every bid of an order accepted at once; latency percentiles
 *  3. order creation -> order.created on a matching provider's event stream: latency percentiles
 *  4. escrow, in-process after the server has stopped (scripts/bench-escrow.ts): accept -> lease
 *     open on chain, settlement throughput and settle gas
 *
 *  5. provider agents (scripts/bench-agents.ts): twenty agent processes against the server;
 *     order → first bid and order → running lease with auto-accept
 *
 * BENCH_ONLY=sdl, BENCH_ONLY=escrow or BENCH_ONLY=agents runs only those rows.
 */
import { randomUUID } from "node:crypto";
import { appendFileSync, existsSync, writeFileSync } from "node:fs";
import { agentRows, benchAgents, type AgentBenchResult } from "./bench-agents";
import { benchEscrow, escrowRows, escrowSetup, type EscrowBenchResult } from "./bench-escrow";
import { benchSdl, FIXTURE_PASSES, TYPICAL_ITERATIONS, type SdlBenchResult } from "./bench-sdl";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import pg from "pg";
import { startAppOnFreshDatabase } from "./support/app-on-fresh-database";

const root = path.resolve(import.meta.dirname, "..");
const port = Number(process.env.BENCH_PORT ?? 3300);
const base = `http://127.0.0.1:${port}`;
const GiB = 1024 ** 3;

const PROVIDERS = 40;
const ORDERS_FOR_BIDS = 600;
const BID_SECONDS = 15;
const BID_CONNECTIONS = 10;
const TARGET_BID_RATE = 300;
const CONTENDED_ORDERS = 60;
const BIDS_PER_CONTENDED_ORDER = 5;
const EVENT_SAMPLES = 100;

async function call(
  method: string,
  pathname: string,
  key?: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const response = await fetch(`${base}/api/v1${pathname}`, {
    method,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

async function must(method: string, pathname: string, key?: string, body?: unknown): Promise<any> {
  const result = await call(method, pathname, key, body);
  if (result.status >= 300)
    throw new Error(`${method} ${pathname}: ${result.status} ${JSON.stringify(result.body)}`);
  return result.body;
}

async function signUp(roles: string[]): Promise<string> {
  const body = await must("POST", "/accounts", undefined, {
    email: `${roles[0]}-${randomUUID()}@bench.test`,
    password: "benchmark password",
    roles,
  });
  return body.apiKey as string;
}

async function provider(): Promise<string> {
  const key = await signUp(["provider"]);
  await must("PUT", "/provider", key, {
    name: `Bench ${randomUUID().slice(0, 6)}`,
    hostUri: "https://p.example",
    region: "us-west",
    attributes: {},
  });
  await must("POST", "/provider/inventory", key, {
    gpu: { vendor: "nvidia", model: "h100", memoryGiB: 80, interface: "sxm", count: 64 },
    cpuMillicores: 1_000_000,
    memoryBytes: 60 * 1024 * GiB,
    storageBytes: 2 ** 50,
  });
  return key;
}

const order = (max = "3.000000") => ({
  resources: {
    gpu: { units: 1, vendor: "nvidia", model: "h100" },
    cpuMillicores: 4000,
    memoryBytes: 32 * GiB,
    storageBytes: 100 * GiB,
  },
  count: 1,
  maxPricePerHour: max,
});

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function inBatches<T>(count: number, size: number, work: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let start = 0; start < count; start += size) {
    results.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(size, count - start) }, (_, i) => work(start + i)),
      )),
    );
  }
  return results;
}

/**
 * Bid placement over fresh orders, either as a closed loop at BID_CONNECTIONS (saturation
 * throughput) or as an open loop offering `rate` requests/s (latency at that rate; a closed
 * loop cannot show it, since its mean latency is simply connections / throughput).
 */
async function benchBids(tenantKey: string, providerKeys: string[], rate?: number) {
  const orderIds = await inBatches(
    ORDERS_FOR_BIDS,
    20,
    async () => (await must("POST", "/orders", tenantKey, order())).order.id as string,
  );
  let next = 0;
  const pairs = providerKeys.length * orderIds.length;
  const result = await autocannon({
    url: base,
    connections: rate ? 2 * BID_CONNECTIONS : BID_CONNECTIONS,
    ...(rate ? { overallRate: rate } : {}),
    duration: BID_SECONDS,
    requests: [
      {
        method: "POST",
        setupRequest: (request: any) => {
          // Consecutive requests go to different orders, as bids from many providers on many orders would.
          const index = next++ % pairs;
          const orderId = orderIds[index % orderIds.length];
          const key = providerKeys[Math.floor(index / orderIds.length) % providerKeys.length];
          return {
            ...request,
            path: `/api/v1/orders/${orderId}/bids`,
            headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
            body: JSON.stringify({ pricePerHour: "2.500000" }),
          };
        },
      },
    ],
  });
  return {
    requests: result.requests.total,
    rps: result.requests.average,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p97_5: result.latency.p97_5,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    attempted: next,
    pairs,
  };
}

async function benchAccepts(tenantKey: string, providerKeys: string[]) {
  const latencies: number[] = [];
  let leases = 0;
  let conflicts = 0;
  for (let i = 0; i < CONTENDED_ORDERS; i++) {
    const orderId = (await must("POST", "/orders", tenantKey, order())).order.id as string;
    const bids = await Promise.all(
      providerKeys
        .slice(0, BIDS_PER_CONTENDED_ORDER)
        .map(
          async (key) =>
            (await must("POST", `/orders/${orderId}/bids`, key, { pricePerHour: "2.000000" })).bid
              .id as string,
        ),
    );
    const outcomes = await Promise.all(
      bids.map(async (bidId) => {
        const started = performance.now();
        const response = await call("POST", `/bids/${bidId}/accept`, tenantKey);
        latencies.push(performance.now() - started);
        return response.status;
      }),
    );
    leases += outcomes.filter((status) => status === 201).length;
    conflicts += outcomes.filter((status) => status === 409).length;
    if (outcomes.filter((status) => status === 201).length !== 1)
      throw new Error(`order ${orderId}: ${outcomes.join(",")}`);
  }
  return {
    requests: latencies.length,
    leases,
    conflicts,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    max: Math.max(...latencies),
  };
}

async function benchEvents(tenantKey: string, providerKey: string) {
  const controller = new AbortController();
  const response = await fetch(`${base}/api/v1/events`, {
    headers: { authorization: `Bearer ${providerKey}` },
    signal: controller.signal,
  });
  if (!response.body) throw new Error("no event stream");
  const waiting = new Map<string, (at: number) => void>();
  const early = new Map<string, number>();
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  void (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (!frame.includes("event: order.created")) continue;
          const data = frame.split("\n").find((line) => line.startsWith("data: "));
          if (!data) continue;
          const id = JSON.parse(data.slice(6)).id as string;
          const at = performance.now();
          const resolve = waiting.get(id);
          if (resolve) resolve(at);
          else early.set(id, at);
        }
      }
    } catch {
      // aborted at the end
    }
  })();
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const latencies: number[] = [];
  for (let i = 0; i < EVENT_SAMPLES; i++) {
    const started = performance.now();
    const id = (await must("POST", "/orders", tenantKey, order())).order.id as string;
    const arrived =
      early.get(id) ??
      (await Promise.race([
        new Promise<number>((resolve) => waiting.set(id, resolve)),
        new Promise<number>((resolve) => setTimeout(() => resolve(Number.POSITIVE_INFINITY), 5_000)),
      ]));
    latencies.push(arrived - started);
  }
  controller.abort();
  return {
    samples: latencies.length,
    missed: latencies.filter((l) => !Number.isFinite(l)).length,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    max: Math.max(...latencies),
  };
}

function sdlRows(sdl: SdlBenchResult): string[] {
  const verdict = (ok: boolean) => (ok ? "meets target" : "**misses target**");
  return [
    `| SDL check: validate + manifest + version hash, typical GPU SDL (vLLM template), ${TYPICAL_ITERATIONS} runs in-process | median ${sdl.typical.medianMs} ms, p95 ${sdl.typical.p95Ms} ms | median ≤ 5 ms per SDL | ${verdict(sdl.typical.medianMs <= 5)} |`,
    `| SDL check: Akash's template gallery fixtures (${sdl.fixtures.files} files), ${FIXTURE_PASSES} passes | ${sdl.fixtures.totalMs} ms for all files (median pass); per file median ${sdl.fixtures.medianMs} ms | median ≤ 5 ms per SDL | ${verdict(sdl.fixtures.medianMs <= 5)} |`,
  ];
}

function machine(pgVersion: string | null): string {
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  const database = pgVersion ? `, PostgreSQL ${pgVersion}` : "";
  return `## ${new Date().toISOString().slice(0, 10)} — ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}${database}`;
}

function writeSection(section: string): void {
  const file = path.join(root, "docs/benchmarks.md");
  if (!existsSync(file))
    writeFileSync(
      file,
      "# Benchmarks\n\nResults of `npm run bench`, newest last. Each run names its machine and date.\n\n",
    );
  appendFileSync(file, `${section}\n`);
  process.stdout.write(`\n${section}\nwritten to docs/benchmarks.md\n`);
}

async function main(): Promise<void> {
  if (process.env.BENCH_ONLY === "agents") {
    const agents = await benchAgents();
    writeSection(
      [
        machine(null),
        "",
        "_Provider agents only (`BENCH_ONLY=agents`)._",
        "",
        "| benchmark | result | target | verdict |",
        "|---|---|---|---|",
        ...agentRows(agents),
        "",
      ].join("\n"),
    );
    return;
  }
  if (process.env.BENCH_ONLY === "escrow") {
    const escrow = await benchEscrow();
    writeSection(
      [
        machine(escrow.postgres),
        "",
        "_Escrow only (`BENCH_ONLY=escrow`)._",
        "",
        escrowSetup(escrow),
        "",
        "| benchmark | result | target | verdict |",
        "|---|---|---|---|",
        ...escrowRows(escrow),
        "",
      ].join("\n"),
    );
    return;
  }
  // In-process and before the server starts, so nothing else competes for the two cores.
  process.stdout.write("SDL check...\n");
  const sdl = await benchSdl();
  process.stdout.write(`${JSON.stringify(sdl)}\n`);
  if (process.env.BENCH_ONLY === "sdl") {
    writeSection(
      [
        machine(null),
        "",
        "_SDL checks only (`BENCH_ONLY=sdl`)._",
        "",
        "| benchmark | result | target | verdict |",
        "|---|---|---|---|",
        ...sdlRows(sdl),
        "",
      ].join("\n"),
    );
    return;
  }
  const app = await startAppOnFreshDatabase({
    label: "bench",
    port,
    env: {
      AUTH_RATE_LIMIT_PER_MINUTE: "100000",
      SEED_DEMO_DATA: "false",
      LOG_LEVEL: "warn",
      DB_POOL_SIZE: "20",
    },
  });
  let pgVersion: string;
  let httpRows: string[];
  try {
    process.stdout.write("setting up providers and tenants...\n");
    const providerKeys = await inBatches(PROVIDERS, 8, () => provider());
    const tenantKey = await signUp(["tenant"]);

    process.stdout.write("1/3 bid placement...\n");
    const bids = await benchBids(tenantKey, providerKeys);
    process.stdout.write(
      `${JSON.stringify(bids)}\n1/3 bid placement offered at ${TARGET_BID_RATE} req/s...\n`,
    );
    const bidsAtRate = await benchBids(await signUp(["tenant"]), providerKeys, TARGET_BID_RATE);
    process.stdout.write(`${JSON.stringify(bidsAtRate)}\n2/3 accept under contention...\n`);
    const accepts = await benchAccepts(await signUp(["tenant"]), providerKeys);
    process.stdout.write(`${JSON.stringify(accepts)}\n3/3 order to event stream...\n`);
    const events = await benchEvents(await signUp(["tenant"]), providerKeys[PROVIDERS - 1]!);
    process.stdout.write(`${JSON.stringify(events)}\n`);

    pgVersion = await (async () => {
      const client = new pg.Client({ connectionString: app.databaseUrl });
      await client.connect();
      const row = await client.query<{ server_version: string }>("SHOW server_version");
      await client.end();
      return row.rows[0]?.server_version ?? "?";
    })();
    const ms = (value: number) => `${value.toFixed(1)} ms`;
    const verdict = (ok: boolean) => (ok ? "meets target" : "**misses target**");
    httpRows = [
      `| bid placement, HTTP, closed loop: ${BID_CONNECTIONS} connections, ${BID_SECONDS} s, ${PROVIDERS} providers × ${ORDERS_FOR_BIDS} orders | ${bids.rps.toFixed(0)} req/s; p50 ${bids.p50} ms, p90 ${bids.p90} ms, p97.5 ${bids.p97_5} ms; ${bids.requests} requests, ${bids.non2xx} non-2xx, ${bids.errors} errors | ≥ 300 req/s with p95 ≤ 50 ms (p97.5 shown, an upper bound of p95) | ${verdict(bids.rps >= TARGET_BID_RATE && bids.p97_5 <= 50)} |`,
      `| bid placement, HTTP, offered ${TARGET_BID_RATE} req/s for ${BID_SECONDS} s | ${bidsAtRate.rps.toFixed(0)} req/s served; p50 ${bidsAtRate.p50} ms, p90 ${bidsAtRate.p90} ms, p97.5 ${bidsAtRate.p97_5} ms; ${bidsAtRate.non2xx} non-2xx, ${bidsAtRate.errors} errors | (for reference: autocannon paces a fixed rate in bursts each second, which queues requests) | ${bidsAtRate.p97_5 <= 50 ? "within 50 ms" : "above 50 ms"} |`,
      `| accept under contention, ${BIDS_PER_CONTENDED_ORDER} simultaneous accepts × ${CONTENDED_ORDERS} orders | p50 ${ms(accepts.p50)}, p95 ${ms(accepts.p95)}, max ${ms(accepts.max)}; ${accepts.leases} leases, ${accepts.conflicts} × 409 | p95 ≤ 50 ms, one lease per order | ${verdict(accepts.p95 <= 50 && accepts.leases === CONTENDED_ORDERS)} |`,
      `| order created → order.created on a matching provider's stream, ${EVENT_SAMPLES} orders | p50 ${ms(events.p50)}, p95 ${ms(events.p95)}, max ${ms(events.max)}; ${events.missed} missed | p95 ≤ 1 s | ${verdict(events.p95 <= 1000 && events.missed === 0)} |`,
    ];
  } finally {
    await app.stop();
  }

  // After the server has stopped, so it does not compete with the HTTP benchmarks or the server.
  process.stdout.write("escrow...\n");
  // A failure still writes the rows measured so far, then fails the run.
  let escrow: EscrowBenchResult | undefined;
  let escrowError: unknown;
  try {
    escrow = await benchEscrow();
  } catch (error) {
    escrowError = error;
  }
  process.stdout.write("provider agents...\n");
  let agents: AgentBenchResult | undefined;
  try {
    agents = await benchAgents();
  } catch (error) {
    escrowError ??= error;
  }
  writeSection(
    [
      machine(pgVersion),
      "",
      "Production server (`npm start`: scripts/serve.ts, one process) on the local PostgreSQL; the load generator shares the same 2 cores. autocannon reports p90 and p97.5, not p95.",
      "",
      escrow ? escrowSetup(escrow) : "The escrow benchmark failed (see its output); no escrow rows.",
      "",
      "| benchmark | result | target | verdict |",
      "|---|---|---|---|",
      ...httpRows,
      ...sdlRows(sdl),
      ...(escrow ? escrowRows(escrow) : []),
      ...(agents ? agentRows(agents) : []),
      "",
    ].join("\n"),
  );
  if (!escrow || !agents) throw escrowError;
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
