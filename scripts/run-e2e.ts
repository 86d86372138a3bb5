/**
 * `npm run test:e2e`: creates a fresh PostgreSQL database, starts the production server on it
 * (building first when sources changed), runs the Playwright specs in Chromium, then stops
 * the server and drops the database. Screenshots land in artifacts/screenshots/.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import pg from "pg";

const root = path.resolve(import.meta.dirname, "..");
const adminUrl = process.env.TEST_DATABASE_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const port = Number(process.env.E2E_PORT ?? 3100);
const baseUrl = `http://127.0.0.1:${port}`;

async function withAdmin(sql: string): Promise<void> {
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

async function waitForServer(child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 300_000;
  let done = false;
  void exited(child).then(() => (done = true));
  while (Date.now() < deadline && !done) {
    try {
      if ((await fetch(`${baseUrl}/api/v1/openapi.json`)).ok) return;
    } catch {
      // starting
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error("the app did not start for the e2e run");
}

async function main(): Promise<number> {
  const name = `bidcloud_e2e_${Date.now()}_${randomBytes(3).toString("hex")}`;
  await withAdmin(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const server = spawn(
    process.execPath,
    [path.join(root, "node_modules/tsx/dist/cli.mjs"), "scripts/start.ts"],
    {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: url.toString(),
        PORT: String(port),
        APP_URL: baseUrl,
        AUTH_SECRET: randomBytes(32).toString("hex"),
        PASSWORD_SCRYPT_LOG_N: "14",
        BID_TTL_SECONDS: process.env.BID_TTL_SECONDS ?? "300",
      },
      stdio: ["ignore", "inherit", "inherit"],
      detached: true,
    },
  );
  try {
    await waitForServer(server);
    const runner = spawn(
      process.execPath,
      [path.join(root, "node_modules/@playwright/test/cli.js"), "test", ...process.argv.slice(2)],
      { cwd: root, env: { ...process.env, E2E_BASE_URL: baseUrl }, stdio: "inherit" },
    );
    return await exited(runner);
  } finally {
    if (server.pid) {
      try {
        process.kill(-server.pid, "SIGTERM");
      } catch {
        // already gone
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await withAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
