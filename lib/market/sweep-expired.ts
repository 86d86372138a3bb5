import { marketTransaction } from "./market-transaction";
import { expireBids, expireOrders, findBid, findOrder } from "./market.repository";
import { bidToWire, orderToWire } from "./wire-format";

/**
 * Stores the expiry of orders and bids whose time has passed. Reads already treat them as
 * closed (see auction.effectiveBidState); this makes the stored state and the event streams
 * follow. Safe to run from several processes at once: each row flips once.
 */
export async function sweepExpired(now = new Date()): Promise<{ orders: number; bids: number }> {
  return marketTransaction(async (tx, emit) => {
    const orderIds = await expireOrders(tx, now);
    const bidIds = await expireBids(tx, now);
    for (const id of orderIds) {
      const order = await findOrder(tx, id);
      if (order) {
        await emit({
          type: "order.updated",
          entityId: id,
          audience: [order.tenantId],
          payload: orderToWire(order),
        });
      }
    }
    for (const { id } of bidIds) {
      const bid = await findBid(tx, id);
      const order = bid && (await findOrder(tx, bid.orderId));
      if (bid && order) {
        await emit({
          type: "bid.updated",
          entityId: id,
          audience: [order.tenantId, bid.provider.accountId],
          payload: bidToWire(bid),
        });
      }
    }
    return { orders: orderIds.length, bids: bidIds.length };
  });
}
