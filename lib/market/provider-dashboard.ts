import type { Principal } from "@/lib/auth/principal";
import { requireRole } from "@/lib/auth/principal";
import { db } from "@/lib/db";
import { effectiveBidState, effectiveOrderState } from "./auction";
import { listServableOrders } from "./market-queries";
import {
  findProviderByAccount,
  listBids,
  listInventory,
  listLeases,
  listOrders,
  type BidRecord,
  type InventoryRecord,
  type LeaseRecord,
  type OrderRecord,
  type ProviderRecord,
} from "./market.repository";

const DASHBOARD_ROWS = 50;

export interface ProviderDashboard {
  provider: ProviderRecord;
  inventory: InventoryRecord[];
  /** Open orders the provider's free inventory can serve, with its own open bid on each, if any. */
  servableOrders: { order: OrderRecord; ownOpenBid: BidRecord | null }[];
  /** The provider's bids, newest first; `order` is null only if the order row is gone. */
  bids: { bid: BidRecord; order: OrderRecord | null }[];
  leases: { lease: LeaseRecord; order: OrderRecord | null }[];
}

/**
 * Everything the provider dashboard shows, in one read. Null before the caller has
 * registered a provider profile. Stored-open records past their expiry read as closed.
 */
export async function getProviderDashboard(
  principal: Principal,
  now = new Date(),
): Promise<ProviderDashboard | null> {
  requireRole(principal, "provider");
  const provider = await findProviderByAccount(db(), principal.accountId);
  if (!provider) return null;

  const [inventory, servable, bidRows, leases] = await Promise.all([
    listInventory(db(), provider.id),
    listServableOrders(provider, now, DASHBOARD_ROWS),
    listBids(db(), { providerId: provider.id, take: DASHBOARD_ROWS }),
    listLeases(db(), { providerId: provider.id, take: DASHBOARD_ROWS }),
  ]);
  const bids = bidRows.map((bid) => ({ ...bid, state: effectiveBidState(bid, now) }));

  const orderIds = [...new Set([...bids.map((bid) => bid.orderId), ...leases.map((lease) => lease.orderId)])];
  const orders = orderIds.length ? await listOrders(db(), { ids: orderIds, take: orderIds.length }) : [];
  const orderById = new Map(
    orders.map((order) => [order.id, { ...order, state: effectiveOrderState(order, now) }] as const),
  );
  const openBidByOrder = new Map(
    bids.filter((bid) => bid.state === "open").map((bid) => [bid.orderId, bid] as const),
  );

  return {
    provider,
    inventory,
    servableOrders: servable.map((order) => ({ order, ownOpenBid: openBidByOrder.get(order.id) ?? null })),
    bids: bids.map((bid) => ({ bid, order: orderById.get(bid.orderId) ?? null })),
    leases: leases.map((lease) => ({ lease, order: orderById.get(lease.orderId) ?? null })),
  };
}
