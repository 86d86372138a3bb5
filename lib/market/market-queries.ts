import { hasRole, isAdmin, requireRole, type Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { effectiveBidState, effectiveOrderState } from "./auction";
import { canServe } from "./matching";
import {
  findLease,
  findLeaseByOrder,
  findOrder,
  findProviderByAccount,
  listBids,
  listBidsForOrder,
  listInventory,
  listLeases,
  listOpenOrdersNotExpired,
  listOrders,
  type BidRecord,
  type InventoryRecord,
  type LeaseRecord,
  type OrderRecord,
  type ProviderRecord,
} from "./market.repository";
import { requireProvider } from "./provider-context";
import { requirementOf } from "./requirement";
import type { LeaseState, OrderState } from "./types";

/** Read-side use cases: who may see what. Stored-open records past their expiry read as closed. */

const PAGE_SIZE_MAX = 200;

function withEffectiveOrderState(order: OrderRecord, now: Date): OrderRecord {
  return { ...order, state: effectiveOrderState(order, now) };
}

function withEffectiveBidState(bid: BidRecord, now: Date): BidRecord {
  return { ...bid, state: effectiveBidState(bid, now) };
}

export type OrderView = "mine" | "market";

/** The orders a caller sees: a tenant its own; a provider ("market") the open orders it can serve. */
export async function listOrdersFor(
  principal: Principal,
  query: { state?: OrderState; view?: OrderView; limit?: number },
  now = new Date(),
): Promise<OrderRecord[]> {
  const limit = Math.min(query.limit ?? 50, PAGE_SIZE_MAX);
  const view: OrderView = query.view ?? (hasRole(principal, "tenant") ? "mine" : "market");
  if (view === "market") {
    const provider = await requireProvider(db(), principal);
    if (query.state && query.state !== "open") return [];
    return listServableOrders(provider, now, limit);
  }
  const orders = await listOrders(db(), {
    tenantId: principal.accountId,
    state: query.state === "closed" ? undefined : query.state,
    take: query.state === "closed" ? PAGE_SIZE_MAX : limit,
  });
  return orders
    .map((order) => withEffectiveOrderState(order, now))
    .filter((order) => !query.state || order.state === query.state)
    .slice(0, limit);
}

export async function listServableOrders(
  provider: ProviderRecord,
  now: Date,
  limit: number,
): Promise<OrderRecord[]> {
  const [orders, inventory] = await Promise.all([
    listOpenOrdersNotExpired(db(), now, 1_000),
    listInventory(db(), provider.id),
  ]);
  return orders
    .filter((order) => order.tenantId !== provider.accountId)
    .filter((order) => canServe(requirementOf(order), provider, inventory))
    .slice(0, limit);
}

/** An order is visible to its tenant, admins, providers that bid on it, and providers that can serve it while open. */
export async function getOrderFor(
  principal: Principal,
  orderId: string,
  now = new Date(),
): Promise<OrderRecord> {
  const order = await findOrder(db(), orderId);
  if (!order) throw new AppError("NOT_FOUND", "no order with this id");
  const visible = withEffectiveOrderState(order, now);
  if (order.tenantId === principal.accountId || isAdmin(principal)) return visible;
  if (hasRole(principal, "provider")) {
    const provider = await findProviderByAccount(db(), principal.accountId);
    if (provider) {
      if ((await listBidsForOrder(db(), order.id, provider.id)).length > 0) return visible;
      if (visible.state === "open") {
        const inventory = await listInventory(db(), provider.id);
        if (canServe(requirementOf(order), provider, inventory)) return visible;
      }
    }
  }
  throw new AppError("FORBIDDEN", "you cannot see this order");
}

/** All bids for the order's tenant (and admins); a provider sees its own. */
export async function listBidsForOrderFor(
  principal: Principal,
  orderId: string,
  now = new Date(),
): Promise<BidRecord[]> {
  const order = await findOrder(db(), orderId);
  if (!order) throw new AppError("NOT_FOUND", "no order with this id");
  if (order.tenantId === principal.accountId || isAdmin(principal)) {
    return (await listBidsForOrder(db(), orderId)).map((bid) => withEffectiveBidState(bid, now));
  }
  if (hasRole(principal, "provider")) {
    const provider = await findProviderByAccount(db(), principal.accountId);
    if (provider) {
      return (await listBidsForOrder(db(), orderId, provider.id)).map((bid) =>
        withEffectiveBidState(bid, now),
      );
    }
  }
  throw new AppError("FORBIDDEN", "you cannot see the bids of this order");
}

export async function listOwnBids(principal: Principal, limit = 50, now = new Date()): Promise<BidRecord[]> {
  const provider = await requireProvider(db(), principal);
  const bids = await listBids(db(), { providerId: provider.id, take: Math.min(limit, PAGE_SIZE_MAX) });
  return bids.map((bid) => withEffectiveBidState(bid, now));
}

/** Leases where the caller is tenant or provider. */
export async function listLeasesFor(
  principal: Principal,
  query: { state?: LeaseState; limit?: number },
): Promise<LeaseRecord[]> {
  const take = Math.min(query.limit ?? 50, PAGE_SIZE_MAX);
  const provider = hasRole(principal, "provider")
    ? await findProviderByAccount(db(), principal.accountId)
    : null;
  const [asTenant, asProvider] = await Promise.all([
    listLeases(db(), { tenantId: principal.accountId, state: query.state, take }),
    provider ? listLeases(db(), { providerId: provider.id, state: query.state, take }) : Promise.resolve([]),
  ]);
  const byId = new Map([...asTenant, ...asProvider].map((lease) => [lease.id, lease]));
  return [...byId.values()].sort((a, b) => (a.id < b.id ? 1 : -1)).slice(0, take);
}

export async function getLeaseFor(principal: Principal, leaseId: string): Promise<LeaseRecord> {
  const lease = await findLease(db(), leaseId);
  if (!lease) throw new AppError("NOT_FOUND", "no lease with this id");
  if (lease.tenantId === principal.accountId || lease.provider.accountId === principal.accountId)
    return lease;
  if (isAdmin(principal)) return lease;
  throw new AppError("FORBIDDEN", "you cannot see this lease");
}

export async function getLeaseOfOrderFor(principal: Principal, orderId: string): Promise<LeaseRecord | null> {
  const lease = await findLeaseByOrder(db(), orderId);
  if (!lease) return null;
  return getLeaseFor(principal, lease.id);
}

export async function listOwnInventory(principal: Principal): Promise<InventoryRecord[]> {
  const provider = await requireProvider(db(), principal);
  return listInventory(db(), provider.id);
}

/** The caller's provider profile, or null before registering; FORBIDDEN without the provider role. */
export async function getOwnProvider(principal: Principal): Promise<ProviderRecord | null> {
  requireRole(principal, "provider");
  return findProviderByAccount(db(), principal.accountId);
}
