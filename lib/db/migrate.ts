import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";

/**
 * Applies prisma/migrations the way `prisma migrate deploy` does, bookkeeping included, so
 * either tool can take over a database from the other. Runs on plain `pg`: PostgreSQL, and
 * PGlite served through pglite-socket.
 */

/** Prisma Migrate's advisory lock key: sharing it also serializes us with `prisma migrate deploy`. */
const PRISMA_MIGRATE_LOCK_KEY = 72707369;

/** Prisma's DDL verbatim (prisma-engines, sql-schema-connector, flavour/postgres.rs). */
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
);`;

export class MigrationError extends Error {
  override readonly name = "MigrationError";
}

export interface MigrateOptions {
  /** Folder of `<timestamp>_<name>/migration.sql`; defaults to prisma/migrations under the cwd. */
  migrationsDir?: string;
  log?: (line: string) => void;
}

interface MigrationFile {
  name: string;
  script: string;
}

interface MigrationRow {
  id: string;
  checksum: string;
  migration_name: string;
  logs: string | null;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  started_at: Date;
}

/** Prisma's checksum: sha256 of the script's UTF-8 text, lower-case hex. */
export function migrationChecksum(script: string): string {
  return createHash("sha256").update(script, "utf8").digest("hex");
}

export async function migrate(
  databaseUrl: string,
  options: MigrateOptions = {},
): Promise<{ applied: string[] }> {
  const migrations = await readMigrations(
    options.migrationsDir ?? path.join(process.cwd(), "prisma", "migrations"),
  );
  const log = options.log ?? (() => {});
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // Session lock, as Prisma takes it. PGlite shares one session between all connections, so
    // there it excludes no one (and is only released by unlocking); its socket server runs one
    // transaction at a time instead, and each step re-reads the history inside its transaction.
    await client.query("SELECT pg_advisory_lock($1)", [PRISMA_MIGRATE_LOCK_KEY]);
    try {
      const applied: string[] = [];
      for (;;) {
        const name = await applyNext(client, migrations, log);
        if (name === null) return { applied };
        applied.push(name);
      }
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [PRISMA_MIGRATE_LOCK_KEY]).catch(() => {});
    }
  } finally {
    await client.end();
  }
}

/** Every subfolder is a migration, ordered as Prisma orders them; only migration.sql counts. */
async function readMigrations(dir: string): Promise<MigrationFile[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort((a, b) => a.localeCompare(b));
  return Promise.all(
    names.map(async (name) => ({
      name,
      script: await readFile(path.join(dir, name, "migration.sql"), "utf8"),
    })),
  );
}

/** Applies the first pending migration in one transaction; null when none is pending. */
async function applyNext(
  client: pg.Client,
  migrations: MigrationFile[],
  log: (line: string) => void,
): Promise<string | null> {
  let started: { id: string; name: string } | undefined;
  await client.query("BEGIN");
  try {
    const history = await readHistory(client);
    assertHistoryIntact(history, migrations);
    const pending = migrations.find(
      (migration) =>
        !history.some((row) => row.migration_name === migration.name && row.rolled_back_at === null),
    );
    if (!pending) {
      await client.query("COMMIT");
      return null;
    }

    log(`Applying migration \`${pending.name}\``);
    started = { id: randomUUID(), name: pending.name };
    // Recorded as started before the script runs, as Prisma does: a script with its own COMMIT
    // (Prisma writes BEGIN/COMMIT around enum rewrites) then leaves a failed row, not nothing.
    await client.query(
      "INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at) VALUES ($1, $2, $3, clock_timestamp())",
      [started.id, migrationChecksum(pending.script), pending.name],
    );
    // No parameters: pg sends it as one simple query, which runs a multi-statement script.
    await client.query(pending.script);
    await client.query(
      "UPDATE _prisma_migrations SET finished_at = clock_timestamp(), applied_steps_count = applied_steps_count + 1 WHERE id = $1",
      [started.id],
    );
    await client.query("COMMIT");
    return pending.name;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    if (error instanceof MigrationError || started === undefined) throw error;
    const message = error instanceof Error ? error.message : String(error);
    // Only touches a row that a COMMIT inside the script already made durable.
    await client
      .query("UPDATE _prisma_migrations SET logs = $2 WHERE id = $1", [started.id, message])
      .catch(() => {});
    throw new MigrationError(`Migration \`${started.name}\` failed and was rolled back: ${message}`, {
      cause: error,
    });
  }
}

async function readHistory(client: pg.Client): Promise<MigrationRow[]> {
  const table = await client.query<{ exists: boolean }>(
    "SELECT to_regclass('_prisma_migrations') IS NOT NULL AS exists",
  );
  if (!table.rows[0]?.exists) {
    const tables = await client.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relkind = 'r' AND n.nspname = current_schema()`,
    );
    if ((tables.rows[0]?.count ?? 0) > 0) {
      throw new MigrationError(
        "The database schema is not empty and has no _prisma_migrations table (Prisma's P3005): " +
          "baseline it with `prisma migrate resolve --applied <migration>` before migrating.",
      );
    }
    await client.query(CREATE_MIGRATIONS_TABLE);
    return [];
  }
  const rows = await client.query<MigrationRow>(
    `SELECT id, checksum, migration_name, logs, finished_at, rolled_back_at, started_at
     FROM _prisma_migrations ORDER BY started_at`,
  );
  return rows.rows;
}

function assertHistoryIntact(history: MigrationRow[], migrations: MigrationFile[]): void {
  const failed = history.filter((row) => row.finished_at === null && row.rolled_back_at === null);
  if (failed.length > 0) {
    const details = failed.map((row) => `\`${row.migration_name}\`${row.logs ? `: ${row.logs.trim()}` : ""}`);
    throw new MigrationError(
      `Refusing to migrate: a previous migration failed (Prisma's P3009): ${details.join("; ")}. ` +
        "Repair the database, then mark it with `prisma migrate resolve --rolled-back <name>` or `--applied <name>`.",
    );
  }
  const edited = history.filter((row) => {
    const file = migrations.find((migration) => migration.name === row.migration_name);
    return row.rolled_back_at === null && file !== undefined && !matchesChecksum(file.script, row.checksum);
  });
  if (edited.length > 0) {
    throw new MigrationError(
      `Refusing to migrate: migration.sql was modified after it was applied: ` +
        `${edited.map((row) => `\`${row.migration_name}\``).join(", ")}. Restore their migration.sql and add a new migration instead.`,
    );
  }
}

/** Prisma also accepts the file after git converted its line endings. */
function matchesChecksum(script: string, checksum: string): boolean {
  return [script, script.replaceAll("\r\n", "\n"), script.replaceAll("\n", "\r\n")].some(
    (variant) => migrationChecksum(variant) === checksum,
  );
}
