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
