import { PrismaPg } from "@prisma/adapter-pg";
import { databaseUrl, env } from "@/lib/env";
import { Prisma, PrismaClient } from "./generated/client";

/** The client or a transaction: repository functions take it first so use cases can compose them. */
export type Db = PrismaClient | Prisma.TransactionClient;

const globalForDb = globalThis as unknown as { bidcloudPrisma?: PrismaClient };

export function db(): PrismaClient {
  globalForDb.bidcloudPrisma ??= new PrismaClient({
    adapter: new PrismaPg({ connectionString: databaseUrl(), max: env().DB_POOL_SIZE }),
  });
  return globalForDb.bidcloudPrisma;
}

export async function disconnectDb(): Promise<void> {
  await globalForDb.bidcloudPrisma?.$disconnect();
  globalForDb.bidcloudPrisma = undefined;
}

/**
 * Runs `work` in one transaction. Conflicting writers are serialized by row locks taken
 * inside (see lockOrder), so READ COMMITTED is enough and nothing retries blindly.
 */
export function transaction<T>(work: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
  return db().$transaction(work, { maxWait: 10_000, timeout: 20_000 });
}
