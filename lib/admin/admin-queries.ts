import { requireRole, type Principal, type Role } from "@/lib/auth/principal";
import { listAccounts, listAccountsByIds, type AccountRecord } from "@/lib/accounts/account.repository";
import { db } from "@/lib/db";
import {
  listBids,
  listLeases,
  listOrders,
  type BidRecord,
  type LeaseRecord,
  type OrderRecord,
} from "@/lib/market/market.repository";
import type { BidState, LeaseState, OrderState } from "@/lib/market/types";

/** Everything, for admins, with filters. */
const ADMIN_PAGE_SIZE = 100;

export async function adminListAccounts(
  principal: Principal,
  filter: { status?: "active" | "suspended"; role?: Role; search?: string },
): Promise<AccountRecord[]> {
  requireRole(principal, "admin");
  return listAccounts(db(), { ...filter, take: ADMIN_PAGE_SIZE });
}

export async function adminListOrders(
  principal: Principal,
  filter: { state?: OrderState },
): Promise<OrderRecord[]> {
  requireRole(principal, "admin");
  return listOrders(db(), { state: filter.state, effectiveAt: new Date(), take: ADMIN_PAGE_SIZE });
}

export async function adminListBids(
  principal: Principal,
  filter: { state?: BidState },
): Promise<BidRecord[]> {
  requireRole(principal, "admin");
  return listBids(db(), { state: filter.state, effectiveAt: new Date(), take: ADMIN_PAGE_SIZE });
}

export async function adminListLeases(
  principal: Principal,
  filter: { state?: LeaseState },
): Promise<LeaseRecord[]> {
  requireRole(principal, "admin");
  return listLeases(db(), { state: filter.state, take: ADMIN_PAGE_SIZE });
}

/** How admin tables name the accounts behind tenant ids: email, else wallet address. */
export async function adminAccountLabels(
  principal: Principal,
  accountIds: string[],
): Promise<Map<string, string>> {
  requireRole(principal, "admin");
  const ids = [...new Set(accountIds)];
  if (ids.length === 0) return new Map();
  const accounts = await listAccountsByIds(db(), ids);
  return new Map(accounts.map((account) => [account.id, account.email ?? account.ethAddress ?? account.id]));
}

export async function adminCounts(principal: Principal) {
  requireRole(principal, "admin");
  const [accounts, suspended, openOrders, openBids, activeLeases] = await Promise.all([
    db().account.count(),
    db().account.count({ where: { status: "suspended" } }),
    db().order.count({ where: { state: "open" } }),
    db().bid.count({ where: { state: "open" } }),
    db().lease.count({ where: { state: "active" } }),
  ]);
  return { accounts, suspended, openOrders, openBids, activeLeases };
}
