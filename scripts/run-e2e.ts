/**
 * `npm run test:e2e`: starts the production server on a fresh PostgreSQL database (building
 * first when sources changed), runs the Playwright specs in Chromium, then stops the server
 * and drops the database. Screenshots land in artifacts/screenshots/.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { startAppOnFreshDatabase } from "./support/app-on-fresh-database";

const root = path.resolve(import.meta.dirname, "..");

async function main(): Promise<number> {
  const app = await startAppOnFreshDatabase({
    label: "e2e",
    port: Number(process.env.E2E_PORT ?? 3100),
    env: {
      BID_TTL_SECONDS: process.env.BID_TTL_SECONDS ?? "300",
      // The demo spec starts the demo agents itself (with the launcher's own code) and stops
      // them after; running them throughout would make them bid on every other spec's orders.
      DEMO_AGENTS: "false",
      // The demo story watches the verifier and the escrow at work: quicker rounds than the defaults.
      VERIFY_INTERVAL_SECONDS: "2",
      VERIFIER_MAX_FAILURES: "30",
      SETTLE_INTERVAL_SECONDS: "10",
    },
  });
  try {
    const runner = spawn(
      process.execPath,
      [path.join(root, "node_modules/@playwright/test/cli.js"), "test", ...process.argv.slice(2)],
      {
        cwd: root,
        env: { ...process.env, E2E_BASE_URL: app.baseUrl, E2E_DATABASE_URL: app.databaseUrl },
        stdio: "inherit",
      },
    );
    return await new Promise<number>((resolve) => runner.on("exit", (code) => resolve(code ?? 1)));
  } finally {
    await app.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
