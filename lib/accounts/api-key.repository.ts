import type { Db } from "@/lib/db";

export interface ApiKeyRecord {
  id: string;
  accountId: string;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const apiKeySelect = {
  id: true,
  accountId: true,
  name: true,
  prefix: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
} as const;

export function insertApiKey(
  db: Db,
  data: { accountId: string; name: string; prefix: string; hash: string },
): Promise<ApiKeyRecord> {
  return db.apiKey.create({ data, select: apiKeySelect });
}

export function listApiKeys(db: Db, accountId: string): Promise<ApiKeyRecord[]> {
  return db.apiKey.findMany({ where: { accountId }, orderBy: { createdAt: "desc" }, select: apiKeySelect });
}

/** Returns how many keys were revoked (0 when the key is not the account's or already revoked). */
export async function revokeApiKey(db: Db, accountId: string, id: string, now: Date): Promise<number> {
  const result = await db.apiKey.updateMany({
    where: { id, accountId, revokedAt: null },
    data: { revokedAt: now },
  });
  return result.count;
}

export async function touchApiKey(db: Db, id: string, now: Date): Promise<void> {
  await db.apiKey.updateMany({ where: { id }, data: { lastUsedAt: now } });
}
