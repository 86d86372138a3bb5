import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";

/**
 * Starts the production app (`scripts/start.ts`, building first when sources changed) on a
 * PostgreSQL database made for this run; `stop` ends the server and drops the database.
 * The e2e runner and the benchmarks use it.
 */
const root = path.resolve(import.meta.dirname, "../..");
const adminUrl = process.env.TEST_DATABASE_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const START_TIMEOUT_MS = 300_000;

async function asAdmin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function exited(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => child.on("exit", (code) => resolve(code ?? 1)));
}

export interface RunningApp {
  baseUrl: string;
  databaseUrl: string;
  stop: () => Promise<void>;
}

export async function startAppOnFreshDatabase(options: {
  label: string;
  port: number;
  env?: Record<string, string>;
}): Promise<RunningApp> {
  const name = `bidcloud_${options.label}_${Date.now()}_${randomBytes(3).toString("hex")}`;
  await asAdmin(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const baseUrl = `http://127.0.0.1:${options.port}`;
  // A data folder and a local chain of its own, so a run never meets another run's chain.
  const dataDir = mkdtempSync(path.join(tmpdir(), `bidcloud-${options.label}-`));
  const anvilPort = await freePort();
  const server = spawn(
    process.execPath,
    [path.join(root, "node_modules/tsx/dist/cli.mjs"), "scripts/start.ts"],
    {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: url.toString(),
        PORT: String(options.port),
        APP_URL: baseUrl,
        AUTH_SECRET: randomBytes(32).toString("hex"),
        PASSWORD_SCRYPT_LOG_N: "14",
        DATA_DIR: dataDir,
        ANVIL_PORT: String(anvilPort),
        ...options.env,
      },
      stdio: ["ignore", "inherit", "inherit"],
      detached: true,
    },
  );
  let serverExited = false;
  const serverExit = exited(server).then(() => {
    serverExited = true;
  });

  const stop = async () => {
    if (server.pid && !serverExited) {
      try {
        process.kill(-server.pid, "SIGTERM");
      } catch {
        // already gone
      }
      await Promise.race([serverExit, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    }
    await asAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!serverExited && Date.now() < deadline) {
    try {
      if ((await fetch(`${baseUrl}/api/v1/openapi.json`)).ok)
        return { baseUrl, databaseUrl: url.toString(), stop };
    } catch {
      // starting
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  await stop();
  throw new Error(serverExited ? "the app exited while starting" : "the app did not start in time");
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}
