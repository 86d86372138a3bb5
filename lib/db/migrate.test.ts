import { createHash, randomBytes } from "node:crypto";
import { appendFile, cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import * as engineBindings from "@prisma/schema-engine-wasm/schema_engine_bg";
import type { MigrationList } from "@prisma/schema-engine-wasm/schema_engine_bg";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { migrate, MigrationError } from "./migrate";

/** The PostgreSQL our machines run (trust auth); this file works in its own throwaway database. */
const ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test";
const REPO_MIGRATIONS = fileURLToPath(new URL("../../prisma/migrations", import.meta.url));
/** Sorts after any real migration, so it is always the pending one. */
const LATER = "29990101000000_later";
const CORE_TABLES = [
  "_prisma_migrations",
  "account",
  "api_key",
  "bid",
  "lease",
  "market_event",
  "order",
  "provider",
];

const repoMigrationNames = (await readdir(REPO_MIGRATIONS, { withFileTypes: true }))
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort((a, b) => a.localeCompare(b));
const initName = repoMigrationNames.find((name) => name.endsWith("_init"));
if (!initName) throw new Error("prisma/migrations has no *_init migration; run scripts/db-diff.ts init");
const INIT = initName;

const tempDirs: string[] = [];

/** A migrations folder holding the init migration plus `extra` ones (name -> SQL). */
async function migrationsDir(extra: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "bidcloud-migrations-"));
  tempDirs.push(dir);
  await cp(path.join(REPO_MIGRATIONS, INIT), path.join(dir, INIT), { recursive: true });
  for (const [name, sql] of Object.entries(extra)) {
    await mkdir(path.join(dir, name));
    await writeFile(path.join(dir, name, "migration.sql"), sql);
  }
  return dir;
}

async function query<Row extends pg.QueryResultRow>(url: string, sql: string): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<Row>(sql)).rows;
  } finally {
    await client.end();
  }
}

async function tableNames(url: string): Promise<string[]> {
  const rows = await query<{ name: string }>(
    url,
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()",
  );
  return rows.map((row) => row.name);
}

async function history(url: string): Promise<Array<{ migration_name: string; finished_at: Date | null }>> {
  return query(url, "SELECT migration_name, finished_at FROM _prisma_migrations ORDER BY migration_name");
}

function resetSchema(url: string): Promise<unknown> {
  return query(url, "DROP SCHEMA public CASCADE; CREATE SCHEMA public");
}

/** Prisma's schema engine: the WebAssembly build of the Rust code behind `prisma migrate deploy`. */
async function withPrismaEngine<T>(
  url: string,
  work: (engine: engineBindings.SchemaEngine) => Promise<T>,
): Promise<T> {
  const require = createRequire(import.meta.url);
  const wasm = await readFile(
    path.join(path.dirname(require.resolve("@prisma/schema-engine-wasm")), "schema_engine_bg.wasm"),
  );
  const instance = new WebAssembly.Instance(new WebAssembly.Module(wasm), {
    "./schema_engine_bg.js": engineBindings as unknown as WebAssembly.ModuleImports,
  });
  engineBindings.__wbg_set_wasm(instance.exports);
  (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
  const pool = new pg.Pool({ connectionString: url });
  const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPg(pool));
  const engine = await engineBindings.SchemaEngine.new({ datamodels: undefined }, () => {}, adapter);
  try {
    return await work(engine);
  } finally {
    engine.free();
    await pool.end();
  }
}

/** The migrations folder as the Prisma CLI hands it to the engine. */
async function migrationList(dir: string): Promise<MigrationList> {
  const names = (await readdir(dir, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
  return {
    baseDir: dir,
    lockfile: {
      path: "migration_lock.toml",
      content: await readFile(path.join(REPO_MIGRATIONS, "migration_lock.toml"), "utf8"),
    },
    shadowDbInitScript: "",
    migrationDirectories: await Promise.all(
      names
        .sort((a, b) => a.localeCompare(b))
        .map(async (name) => ({
          path: name,
          migrationFile: {
            path: "migration.sql",
            content: {
              tag: "ok" as const,
              value: await readFile(path.join(dir, name, "migration.sql"), "utf8"),
            },
          },
        })),
    ),
  };
}

afterAll(async () => {
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe("migrate on PostgreSQL", () => {
  const database = `bidcloud_mig_${randomBytes(6).toString("hex")}`;
  const url = `postgresql://postgres@127.0.0.1:5432/${database}`;

  beforeAll(async () => {
    await query(ADMIN_URL, `CREATE DATABASE ${database}`);
  });
  afterAll(async () => {
    await query(ADMIN_URL, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  });
  beforeEach(async () => {
    await resetSchema(url);
  });

  it("applies the repository's migrations to an empty database and creates the tables", async () => {
    const result = await migrate(url, { migrationsDir: REPO_MIGRATIONS });

    expect(result.applied).toEqual(repoMigrationNames);
    expect(result.applied).toContain(INIT);
    expect(await tableNames(url)).toEqual(expect.arrayContaining(CORE_TABLES));
  });

  it("applies nothing on a second run", async () => {
    const dir = await migrationsDir();
    await migrate(url, { migrationsDir: dir });

    expect(await migrate(url, { migrationsDir: dir })).toEqual({ applied: [] });
    expect(await history(url)).toHaveLength(1);
  });

  it("records the migration as Prisma does, with the sha256 of migration.sql as checksum", async () => {
    await migrate(url, { migrationsDir: await migrationsDir() });

    const fileBytes = await readFile(path.join(REPO_MIGRATIONS, INIT, "migration.sql"));
    const rows = await query(url, "SELECT * FROM _prisma_migrations");
    expect(rows).toEqual([
      {
        id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
        checksum: createHash("sha256").update(fileBytes).digest("hex"),
        migration_name: INIT,
        logs: null,
        started_at: expect.any(Date),
        finished_at: expect.any(Date),
        rolled_back_at: null,
        applied_steps_count: 1,
      },
    ]);
  });

  it("applies each migration once when two runs race", async () => {
    const dir = await migrationsDir({ [LATER]: 'SELECT pg_sleep(0.2); CREATE TABLE "later" (id int);' });

    const runs = await Promise.all([
      migrate(url, { migrationsDir: dir }),
      migrate(url, { migrationsDir: dir }),
    ]);

    expect(runs.flatMap((run) => run.applied).sort()).toEqual([INIT, LATER]);
    expect((await history(url)).map((row) => row.migration_name)).toEqual([INIT, LATER]);
  });

  it("refuses, changing nothing, when an applied migration.sql was edited", async () => {
    const dir = await migrationsDir();
    await migrate(url, { migrationsDir: dir });
    await appendFile(path.join(dir, INIT, "migration.sql"), "-- edited after it was applied\n");
    await mkdir(path.join(dir, LATER));
    await writeFile(path.join(dir, LATER, "migration.sql"), 'CREATE TABLE "later" (id int);');

    const run = migrate(url, { migrationsDir: dir });

    await expect(run).rejects.toThrow(MigrationError);
    await expect(run).rejects.toThrow(
      `Refusing to migrate: migration.sql was modified after it was applied: \`${INIT}\``,
    );
    expect(await tableNames(url)).not.toContain("later");
    expect((await history(url)).map((row) => row.migration_name)).toEqual([INIT]);
  });

  it("accepts an applied migration.sql whose line endings git converted, as Prisma does", async () => {
    const dir = await migrationsDir();
    await migrate(url, { migrationsDir: dir });
    const file = path.join(dir, INIT, "migration.sql");
    await writeFile(file, (await readFile(file, "utf8")).replaceAll("\n", "\r\n"));

    expect(await migrate(url, { migrationsDir: dir })).toEqual({ applied: [] });
  });

  it("refuses to run after a failed migration, changing nothing", async () => {
    await migrate(url, { migrationsDir: await migrationsDir() });
    await query(url, "UPDATE _prisma_migrations SET finished_at = NULL, logs = 'boom'");

    const run = migrate(url, {
      migrationsDir: await migrationsDir({ [LATER]: 'CREATE TABLE "later" (id int);' }),
    });

    await expect(run).rejects.toThrow(
      `Refusing to migrate: a previous migration failed (Prisma's P3009): \`${INIT}\`: boom`,
    );
    expect(await tableNames(url)).not.toContain("later");
  });

  it("rolls back a failing migration without recording it, so the fixed file applies later", async () => {
    const dir = await migrationsDir({
      [LATER]: 'CREATE TABLE "later" (id int); SELECT * FROM "no_such_table";',
    });

    await expect(migrate(url, { migrationsDir: dir })).rejects.toThrow(
      `Migration \`${LATER}\` failed and was rolled back: relation "no_such_table" does not exist`,
    );
    expect(await tableNames(url)).not.toContain("later");
    expect((await history(url)).map((row) => row.migration_name)).toEqual([INIT]);

    await writeFile(path.join(dir, LATER, "migration.sql"), 'CREATE TABLE "later" (id int);');
    expect(await migrate(url, { migrationsDir: dir })).toEqual({ applied: [LATER] });
  });

  it("applies a script with its own BEGIN/COMMIT, as Prisma writes around enum rewrites", async () => {
    const dir = await migrationsDir({ [LATER]: 'BEGIN;\nCREATE TABLE "later" (id int);\nCOMMIT;\n' });

    expect(await migrate(url, { migrationsDir: dir })).toEqual({ applied: [INIT, LATER] });
    expect((await history(url)).map((row) => row.finished_at)).toEqual([expect.any(Date), expect.any(Date)]);
  });

  it("runs the script whole, so semicolons inside a function body are not statement ends", async () => {
    const fn = "CREATE FUNCTION later() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$;";
    await migrate(url, { migrationsDir: await migrationsDir({ [LATER]: fn }) });

    expect(await query(url, "SELECT later() AS value")).toEqual([{ value: 1 }]);
  });

  it("leaves a failed record, as Prisma does, when a script fails after its own COMMIT", async () => {
    const dir = await migrationsDir({
      [LATER]: 'BEGIN; CREATE TABLE "later" (id int); COMMIT; SELECT * FROM "no_such_table";',
    });

    await expect(migrate(url, { migrationsDir: dir })).rejects.toThrow(`Migration \`${LATER}\` failed`);
    const failed = await query(
      url,
      `SELECT logs, finished_at FROM _prisma_migrations WHERE migration_name = '${LATER}'`,
    );
    expect(failed).toEqual([{ logs: 'relation "no_such_table" does not exist', finished_at: null }]);
    await expect(migrate(url, { migrationsDir: dir })).rejects.toThrow(
      `a previous migration failed (Prisma's P3009)`,
    );
  });

  it("keeps the history Prisma's own engine reads: it finds nothing to apply after us, and we nothing after it", async () => {
    const dir = await migrationsDir();
    const filters = { externalTables: [], externalEnums: [] };

    await migrate(url, { migrationsDir: dir });
    await withPrismaEngine(url, async (engine) => {
      const diagnosis = await engine.diagnoseMigrationHistory({
        migrationsList: await migrationList(dir),
        optInToShadowDatabase: false,
        filters,
      });
      expect(diagnosis).toMatchObject({ editedMigrationNames: [], failedMigrationNames: [], history: null });
      expect(await engine.applyMigrations({ migrationsList: await migrationList(dir), filters })).toEqual({
        appliedMigrationNames: [],
      });

      await resetSchema(url);
      expect(await engine.applyMigrations({ migrationsList: await migrationList(dir), filters })).toEqual({
        appliedMigrationNames: [INIT],
      });
    });
    // After the engine is gone: like `prisma migrate deploy`, it keeps its lock until it disconnects.
    expect(await migrate(url, { migrationsDir: dir })).toEqual({ applied: [] });
  });

  it("refuses a non-empty database that has no migration history", async () => {
    await query(url, 'CREATE TABLE "account" (id text)');

    await expect(migrate(url, { migrationsDir: await migrationsDir() })).rejects.toThrow(/not empty.*P3005/);
    expect(await tableNames(url)).toEqual(["account"]);
  });
});

describe("migrate on PGlite served through pglite-socket", () => {
  let pglite: PGlite;
  let server: PGLiteSocketServer;
  let url: string;

  beforeAll(async () => {
    pglite = await PGlite.create();
    // Every concurrent pg connection needs a slot; the default of 1 drops the second one.
    server = new PGLiteSocketServer({ db: pglite, host: "127.0.0.1", port: 0, maxConnections: 8 });
    await server.start();
    url = `postgresql://postgres@${server.getServerConn()}/postgres`;
  });
  afterAll(async () => {
    await server.stop();
    await pglite.close();
  });
  beforeEach(async () => {
    await resetSchema(url);
  });

  it("applies the init migration, records its checksum, and applies nothing on a second run", async () => {
    const dir = await migrationsDir();

    expect(await migrate(url, { migrationsDir: dir })).toEqual({ applied: [INIT] });
    expect(await migrate(url, { migrationsDir: dir })).toEqual({ applied: [] });
    expect(await tableNames(url)).toEqual(expect.arrayContaining(CORE_TABLES));
    const fileBytes = await readFile(path.join(dir, INIT, "migration.sql"));
    expect(await query(url, "SELECT checksum FROM _prisma_migrations")).toEqual([
      { checksum: createHash("sha256").update(fileBytes).digest("hex") },
    ]);
  });

  it("applies each migration once when two runs race", async () => {
    const dir = await migrationsDir({ [LATER]: 'SELECT pg_sleep(0.2); CREATE TABLE "later" (id int);' });

    const runs = await Promise.all([
      migrate(url, { migrationsDir: dir }),
      migrate(url, { migrationsDir: dir }),
    ]);

    expect(runs.flatMap((run) => run.applied).sort()).toEqual([INIT, LATER]);
    expect((await history(url)).map((row) => row.migration_name)).toEqual([INIT, LATER]);
  });
});
