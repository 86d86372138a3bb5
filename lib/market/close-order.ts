import { isAdmin, type Principal } from "@/lib/auth/principal";
import { AppError } from "@/lib/errors";
import { resolveOrderClose } from "./auction";
import { closeLeaseLocked } from "./close-lease";
import type { Db } from "@/lib/db";
import { marketTransaction, type Emit } from "./market-transaction";
import {
  findLeaseByOrder,
  findOrder,
  listBidsForOrder,
  lockOrder,
  setBidStates,
  setOrderState,
  type OrderRecord,
} from "./market.repository";
import { bidToWire, orderToWire } from "./wire-format";

/** Closes an order: its open bids close; if it has a lease, the lease closes and frees its inventory. */
export async function closeOrder(
  principal: Principal,
  orderId: string,
  now = new Date(),
): Promise<OrderRecord> {
  return marketTransaction(async (tx, emit) => {
    const order = await lockOrder(tx, orderId);
    if (!order) throw new AppError("NOT_FOUND", "no order with this id");
    const byAdmin = order.tenantId !== principal.accountId;
    if (byAdmin && !isAdmin(principal))
      throw new AppError("FORBIDDEN", "only the order's tenant can close it");
    return closeOrderLocked(tx, emit, order, byAdmin ? "admin" : "owner", now);
  });
}

/**
 * Closes an order inside the caller's transaction, which holds the order's row lock (the
 * `order` passed in was read under it): open bids close, a lease closes with `reason`.
 */
export async function closeOrderLocked(
  tx: Db,
  emit: Emit,
  order: OrderRecord,
  reason: "owner" | "admin",
  now: Date,
): Promise<OrderRecord> {
  const bids = await listBidsForOrder(tx, order.id);
  const outcome = resolveOrderClose({ order, bids, now });
  if (outcome.closesLease) {
    const lease = await findLeaseByOrder(tx, order.id);
    if (lease && lease.state !== "closed") {
      await closeLeaseLocked(tx, emit, lease, reason, now);
    }
    const closed = await findOrder(tx, order.id);
    if (!closed) throw new AppError("NOT_FOUND", "no order with this id");
    if (closed.state !== "closed") await setOrderState(tx, order.id, "closed", now);
    return { ...closed, state: "closed", closedAt: closed.closedAt ?? now };
  }
  await setBidStates(tx, outcome.closedBidIds, "closed", now);
  await setOrderState(tx, order.id, "closed", now);
  const closed: OrderRecord = { ...order, state: "closed", closedAt: now };
  const bidders = bids.map((bid) => bid.provider.accountId);
  await emit({
    type: "order.updated",
    entityId: order.id,
    audience: [order.tenantId, ...bidders],
    payload: orderToWire(closed),
  });
  for (const bid of bids.filter((entry) => outcome.closedBidIds.includes(entry.id))) {
    await emit({
      type: "bid.updated",
      entityId: bid.id,
      audience: [order.tenantId, bid.provider.accountId],
      payload: bidToWire({ ...bid, state: "closed", closedAt: now }),
    });
  }
  return closed;
}
