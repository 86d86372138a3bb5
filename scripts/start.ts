/**
 * `npm start`: the whole marketplace on one machine. Serves the embedded database (unless
 * DATABASE_URL points at a PostgreSQL), migrates, seeds demo data, runs a local chain with the
 * escrow (unless EVM_RPC_URL points at one), builds the app when its sources changed, serves
 * it at http://127.0.0.1:3000 (PORT, HOST to change), and starts three demo provider agents
 * that bid on new orders and run what they win as local processes (DEMO_AGENTS=false: none).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, statSync, writeFileSync, mkdirSync, readdirSync } from "node:fs";
import path from "node:path";
import type { Hex } from "viem";
import { ANVIL_DEFAULT_CHAIN_ID, setAnvilBalance, startAnvil } from "@/lib/chain/evm/anvil";
import {
  deployLocalEscrow,
  escrowOperator,
  escrowRoleAddresses,
  fundLocalWallets,
  hasCode,
  LOCAL_OPERATOR_GAS_WEI,
} from "@/lib/chain/evm/deploy";
import pg from "pg";
import { deriveAddress, walletLabel } from "@/lib/chain/keys";
import { startEmbeddedDatabase } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";
import { seedDemoData } from "@/prisma/seed";
import { prepareDemoAgents, startDemoAgents } from "./support/demo-agents";

const root = path.resolve(import.meta.dirname, "..");
const dataDir = path.resolve(root, process.env.DATA_DIR ?? ".data");
const host = process.env.HOST ?? "127.0.0.1";
const port = Number(process.env.PORT ?? 3000);
const embeddedPort = Number(process.env.EMBEDDED_DB_PORT ?? 54329);
const anvilPort = Number(process.env.ANVIL_PORT ?? 8545);
const MARKETPLACE_FEE_BPS = 250;
const demoAdminEmail = "admin@demo.bidcloud";

function log(line: string): void {
  process.stdout.write(`[bidcloud] ${line}\n`);
}

/**
 * A secret generated once per data folder, so sessions (authSecret) and managed keys
 * (chainMasterSecret) survive restarts in development.
 */
function developmentSecret(name: "authSecret" | "chainMasterSecret", generate: () => string): string {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, "secrets.json");
  const stored = existsSync(file)
    ? (JSON.parse(readFileSync(file, "utf8")) as Partial<Record<typeof name, string>>)
    : {};
  const existing = stored[name];
  if (existing) return existing;
  const secret = generate();
  writeFileSync(file, JSON.stringify({ ...stored, [name]: secret }, null, 2), { mode: 0o600 });
  return secret;
}

type LocalDeployment = { chainId: number; escrowAddress: Hex; tokenAddress: Hex };

/** The escrow recorded in the data folder, if the chain still holds it with this secret's operator. */
async function recordedDeployment(
  file: string,
  rpcUrl: string,
  chainId: number,
  operator: Hex,
): Promise<LocalDeployment | null> {
  if (!existsSync(file)) return null;
  const recorded = JSON.parse(readFileSync(file, "utf8")) as LocalDeployment;
  if (recorded.chainId !== chainId) return null;
  if (!(await hasCode(rpcUrl, recorded.tokenAddress)) || !(await hasCode(rpcUrl, recorded.escrowAddress))) {
    return null;
  }
  return (await escrowOperator(rpcUrl, recorded.escrowAddress)) === operator ? recorded : null;
}

/** Deploys the escrow once per chain state; later starts find it through <dataDir>/chain.json. */
async function localEscrow(rpcUrl: string, chainId: number, masterSecret: string): Promise<LocalDeployment> {
  const file = path.join(dataDir, "chain.json");
  const { operator } = escrowRoleAddresses(masterSecret);
  const recorded = await recordedDeployment(file, rpcUrl, chainId, operator);
  if (recorded) {
    await setAnvilBalance(rpcUrl, operator, LOCAL_OPERATOR_GAS_WEI);
    return recorded;
  }
  log("deploying the escrow and a test USDC to the local chain");
  const deployment = {
    chainId,
    ...(await deployLocalEscrow({ rpcUrl, chainId, masterSecret, feeBps: MARKETPLACE_FEE_BPS })),
  };
  writeFileSync(file, JSON.stringify(deployment, null, 2));
  return deployment;
}

/**
 * Without EVM_RPC_URL: anvil on 127.0.0.1:ANVIL_PORT, its state kept in the data folder (saved
 * on stop and every few seconds), with the escrow deployed and the operator given gas.
 */
export async function startLocalChain(): Promise<{ env: Record<string, string>; stop: () => Promise<void> }> {
  const masterSecret =
    process.env.CHAIN_MASTER_SECRET ??
    developmentSecret("chainMasterSecret", () => `0x${randomBytes(32).toString("hex")}`);
  const node = await startAnvil({
    port: anvilPort,
    chainId: ANVIL_DEFAULT_CHAIN_ID,
    statePath: path.join(dataDir, "anvil-state.json"),
  }).catch((error: unknown) => {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `the local chain did not start (ANVIL_PORT to move it, EVM_RPC_URL to use another): ${reason}`,
    );
  });
  try {
    const { escrowAddress, tokenAddress } = await localEscrow(node.rpcUrl, node.chainId, masterSecret);
    log(`local chain (anvil) at ${node.rpcUrl}, escrow ${escrowAddress}, USDC ${tokenAddress}`);
    return {
      env: {
        EVM_RPC_URL: node.rpcUrl,
        EVM_CHAIN_ID: String(node.chainId),
        ESCROW_ADDRESS: escrowAddress,
        TOKEN_ADDRESS: tokenAddress,
        CHAIN_MASTER_SECRET: masterSecret,
        EVM_FAUCET: "true",
      },
      stop: () => node.stop(),
    };
  } catch (error) {
    await node.stop();
    throw error;
  }
}

/** First start on the local chain: the demo tenant's managed wallet gets 10,000 test USDC and gas. */
async function fundDemoTenant(databaseUrl: string, chainEnv: Record<string, string>): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const rows = await client
    .query<{ id: string }>("SELECT id FROM account WHERE email = $1", ["tenant@demo.bidcloud"])
    .finally(() => client.end());
  const tenantId = rows.rows[0]?.id;
  if (!tenantId) return;
  await fundLocalWallets({
    rpcUrl: chainEnv.EVM_RPC_URL!,
    chainId: Number(chainEnv.EVM_CHAIN_ID),
    tokenAddress: chainEnv.TOKEN_ADDRESS as Hex,
    addresses: [deriveAddress(chainEnv.CHAIN_MASTER_SECRET!, walletLabel(tenantId))],
    tokens: 10_000n * 10n ** 6n,
    gasWei: 10n ** 18n,
  });
  log("gave the demo tenant's wallet 10,000 test USDC");
}

function newestMtime(target: string): number {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(target)) {
    if (entry === "node_modules" || entry === ".next" || entry === "generated") continue;
    newest = Math.max(newest, newestMtime(path.join(target, entry)));
  }
  return newest;
}

function buildIsStale(): boolean {
  const buildId = path.join(root, ".next", "BUILD_ID");
  if (!existsSync(buildId)) return true;
  const built = statSync(buildId).mtimeMs;
  const sources = ["app", "components", "lib", "prisma/schema.prisma", "package-lock.json", "next.config.ts"];
  return sources.some((source) => newestMtime(path.join(root, source)) > built);
}

function run(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), ...args], {
    cwd: root,
    env,
    stdio: "inherit",
  });
}

function exitCode(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the app did not answer at ${url} within ${timeoutMs / 1000} s`);
}

async function main(): Promise<void> {
  const appUrl = process.env.APP_URL ?? `http://${host}:${port}`;
  let databaseUrl = process.env.DATABASE_URL;
  let stopDatabase = async () => {};
  if (!databaseUrl) {
    log(
      `starting the embedded database (data in ${path.relative(root, dataDir)}/pglite) on 127.0.0.1:${embeddedPort}`,
    );
    const embedded = await startEmbeddedDatabase({
      dataDir: path.join(dataDir, "pglite"),
      port: embeddedPort,
      maxConnections: 40,
    });
    databaseUrl = embedded.url;
    stopDatabase = embedded.stop;
  } else {
    log("using the PostgreSQL at DATABASE_URL");
  }

  let chainEnv: Record<string, string> = {};
  let stopChain = async () => {};
  if (!process.env.EVM_RPC_URL) {
    const chain = await startLocalChain();
    chainEnv = chain.env;
    stopChain = chain.stop;
  } else {
    log("using the EVM chain at EVM_RPC_URL");
  }
  const stopServices = async () => {
    await stopChain();
    await stopDatabase();
  };

  const { applied } = await migrate(databaseUrl, { migrationsDir: path.join(root, "prisma/migrations") });
  log(applied.length ? `applied migrations: ${applied.join(", ")}` : "database schema is up to date");

  const seed =
    process.env.SEED_DEMO_DATA === "false"
      ? null
      : await seedDemoData(databaseUrl, { adminEmail: demoAdminEmail });
  if (seed?.seeded) log("seeded demo providers, inventory, a demo tenant and past auctions");
  if (seed?.seeded && chainEnv.EVM_RPC_URL) await fundDemoTenant(databaseUrl, chainEnv);

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: databaseUrl,
    APP_URL: appUrl,
    NEXTAUTH_URL: appUrl,
    AUTH_SECRET:
      process.env.AUTH_SECRET ?? developmentSecret("authSecret", () => randomBytes(32).toString("base64url")),
    NEXT_TELEMETRY_DISABLED: "1",
    // Everything runs on this machine, the demo agents' workloads too: let the verifier probe them.
    VERIFIER_ALLOW_LOOPBACK: process.env.VERIFIER_ALLOW_LOOPBACK ?? "true",
    ...chainEnv,
  };

  if (process.env.SKIP_BUILD !== "true" && buildIsStale()) {
    log("building the app (first start or sources changed; this takes a minute)...");
    const code = await exitCode(run(["build"], env));
    if (code !== 0) {
      await stopServices();
      throw new Error(`next build failed with exit code ${code}`);
    }
  }

  const server = spawn(
    process.execPath,
    [path.join(root, "node_modules/tsx/dist/cli.mjs"), path.join(root, "scripts/serve.ts")],
    { cwd: root, env: { ...env, HOST: host, PORT: String(port) }, stdio: "inherit" },
  );
  let stopAgents = async () => {};
  const stop = async (signal: NodeJS.Signals) => {
    await stopAgents();
    server.kill(signal);
    await exitCode(server).catch(() => 0);
    await stopServices();
    process.exit(0);
  };
  process.on("SIGINT", (signal) => void stop(signal));
  process.on("SIGTERM", (signal) => void stop(signal));

  await waitForHttp(`${appUrl}/api/v1/openapi.json`, 60_000);
  if (seed && process.env.DEMO_AGENTS !== "false") {
    const agents = await prepareDemoAgents({
      databaseUrl,
      apiUrl: `${appUrl}/api/v1`,
      agentsDir: path.join(dataDir, "agents"),
    });
    stopAgents = startDemoAgents(agents, root, process.env).stop;
    if (agents.length) log(`started demo provider agents: ${agents.map((agent) => agent.slug).join(", ")}`);
  }
  log("");
  log(`Bidcloud is running at ${appUrl}`);
  if (seed) {
    log("demo logins:");
    for (const login of seed.logins) log(`  ${login.role.padEnd(9)} ${login.email}  /  ${login.password}`);
  }
  log("stop with Ctrl+C");
  const code = await exitCode(server);
  await stopAgents();
  await stopServices();
  process.exit(code);
}

// Run when executed (npm start), not when a script imports startLocalChain.
if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  main().catch((error: unknown) => {
    process.stderr.write(
      `[bidcloud] could not start: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  });
}
