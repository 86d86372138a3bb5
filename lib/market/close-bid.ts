import { isAdmin, type Principal } from "@/lib/auth/principal";
import { AppError } from "@/lib/errors";
import { resolveBidClose } from "./auction";
import { marketTransaction } from "./market-transaction";
import { findBid, lockOrder, setBidStates, type BidRecord } from "./market.repository";
import { bidToWire } from "./wire-format";

export async function closeBid(principal: Principal, bidId: string, now = new Date()): Promise<BidRecord> {
  return marketTransaction(async (tx, emit) => {
    const found = await findBid(tx, bidId);
    if (!found) throw new AppError("NOT_FOUND", "no bid with this id");
    if (found.provider.accountId !== principal.accountId && !isAdmin(principal)) {
      throw new AppError("FORBIDDEN", "only the bidding provider can close this bid");
    }
    const order = await lockOrder(tx, found.orderId);
    const bid = await findBid(tx, bidId);
    if (!order || !bid) throw new AppError("NOT_FOUND", "no bid with this id");
    resolveBidClose({ bid, now });
    await setBidStates(tx, [bid.id], "closed", now);
    const closed: BidRecord = { ...bid, state: "closed", closedAt: now };
    await emit({
      type: "bid.updated",
      entityId: bid.id,
      audience: [order.tenantId, bid.provider.accountId],
      payload: bidToWire(closed),
    });
    return closed;
  });
}
