/**
 * Applies pending migrations from prisma/migrations to DATABASE_URL.
 *
 *   DATABASE_URL=postgresql://... npx tsx scripts/db-migrate.ts
 */
import { migrate } from "@/lib/db/migrate";

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error("DATABASE_URL is not set");
  const { applied } = await migrate(databaseUrl, { log: (line) => console.log(line) });
  console.log(
    applied.length === 0
      ? "No pending migrations."
      : `Applied ${applied.length} migration(s): ${applied.join(", ")}`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
