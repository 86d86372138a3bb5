import { PrismaPg } from "@prisma/adapter-pg";
import { databaseUrl, env } from "@/lib/env";
import { isTransientConflict } from "./errors";
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
 * inside (see lockOrder) in a fixed order, so READ COMMITTED is enough. Should PostgreSQL still
 * report a deadlock or serialization failure, everything was rolled back and `work` runs again
 * (at most three times in all); `work` must therefore touch nothing but the transaction.
 */
export async function transaction<T>(work: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db().$transaction(work, { maxWait: 10_000, timeout: 20_000 });
    } catch (error) {
      // A deadlock or serialization failure rolled everything back: run the whole thing again.
      if (attempt >= TRANSACTION_ATTEMPTS || !isTransientConflict(error)) throw error;
    }
  }
}

const TRANSACTION_ATTEMPTS = 3;
