import type { Db } from "@/lib/db";
import type { Role } from "@/lib/auth/principal";

export interface AccountRecord {
  id: string;
  email: string | null;
  ethAddress: string | null;
  roles: Role[];
  status: "active" | "suspended";
  createdAt: Date;
}

const accountSelect = {
  id: true,
  email: true,
  ethAddress: true,
  roles: true,
  status: true,
  createdAt: true,
} as const;

export function findAccountById(db: Db, id: string): Promise<AccountRecord | null> {
  return db.account.findUnique({ where: { id }, select: accountSelect });
}

export function findAccountByEmail(
  db: Db,
  email: string,
): Promise<(AccountRecord & { passwordHash: string | null }) | null> {
  return db.account.findUnique({ where: { email }, select: { ...accountSelect, passwordHash: true } });
}

export function findAccountByEthAddress(db: Db, ethAddress: string): Promise<AccountRecord | null> {
  return db.account.findUnique({ where: { ethAddress }, select: accountSelect });
}

export function insertAccount(
  db: Db,
  data: { email?: string; passwordHash?: string; ethAddress?: string; roles: Role[] },
): Promise<AccountRecord> {
  return db.account.create({ data, select: accountSelect });
}

export function updateAccountRoles(db: Db, id: string, roles: Role[]): Promise<AccountRecord> {
  return db.account.update({ where: { id }, data: { roles }, select: accountSelect });
}

export function updateAccountStatus(
  db: Db,
  id: string,
  status: "active" | "suspended",
): Promise<AccountRecord> {
  return db.account.update({ where: { id }, data: { status }, select: accountSelect });
}

export async function listAccounts(
  db: Db,
  filter: { status?: "active" | "suspended"; role?: Role; search?: string; take: number; cursor?: string },
): Promise<AccountRecord[]> {
  return db.account.findMany({
    where: {
      status: filter.status,
      roles: filter.role ? { has: filter.role } : undefined,
      email: filter.search ? { contains: filter.search, mode: "insensitive" } : undefined,
    },
    orderBy: { id: "desc" },
    take: filter.take,
    ...(filter.cursor ? { cursor: { id: filter.cursor }, skip: 1 } : {}),
    select: accountSelect,
  });
}

export function listAccountsByIds(db: Db, ids: string[]): Promise<AccountRecord[]> {
  return db.account.findMany({ where: { id: { in: ids } }, select: accountSelect });
}

/** An active API key's account in one round trip (every API request does this). */
export async function findAccountByActiveApiKeyHash(
  db: Db,
  hash: string,
): Promise<{ account: AccountRecord; keyId: string; keyLastUsedAt: Date | null } | null> {
  const rows = await db.$queryRaw<
    (Omit<AccountRecord, "roles"> & { roles: Role[]; keyId: string; keyLastUsedAt: Date | null })[]
  >`
    SELECT a.id, a.email, a."ethAddress", a.roles::text[] AS roles, a.status::text AS status, a."createdAt",
           k.id AS "keyId", k."lastUsedAt" AS "keyLastUsedAt"
    FROM api_key k JOIN account a ON a.id = k."accountId"
    WHERE k.hash = ${hash} AND k."revokedAt" IS NULL`;
  const row = rows[0];
  if (!row) return null;
  const { keyId, keyLastUsedAt, ...account } = row;
  return { account, keyId, keyLastUsedAt };
}

/**
 * Holds the account row (shared) for the rest of the transaction and says whether it is
 * active. Suspension takes the row exclusively, so a bid or order either commits before a
 * suspension (and is closed by it) or sees the account suspended.
 */
export async function lockAccountIfActive(db: Db, accountId: string): Promise<boolean> {
  const rows = await db.$queryRaw<{ status: string }[]>`
    SELECT status::text AS status FROM account WHERE id = ${accountId} FOR SHARE`;
  return rows[0]?.status === "active";
}
