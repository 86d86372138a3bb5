import type { Principal } from "@/lib/auth/principal";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { bidExpiry, checkNewBid } from "./auction";
import { canServe } from "./matching";
import { marketTransaction } from "./market-transaction";
import {
  insertBid,
  listInventory,
  listProviderBidSnapshots,
  lockOrder,
  type BidRecord,
} from "./market.repository";
import { requireProvider } from "./provider-context";
import { requirementOf } from "./requirement";
import { bidToWire } from "./wire-format";

export async function placeBid(
  principal: Principal,
  orderId: string,
  pricePerHour: bigint,
  now = new Date(),
): Promise<BidRecord> {
  return marketTransaction(async (tx, emit) => {
    const provider = await requireProvider(tx, principal);
    const order = await lockOrder(tx, orderId);
    if (!order) throw new AppError("NOT_FOUND", "no order with this id");
    if (order.tenantId === principal.accountId) {
      throw new AppError("FORBIDDEN", "a provider cannot bid on its own account's order");
    }
    const inventory = await listInventory(tx, provider.id);
    checkNewBid({
      order,
      provider,
      price: pricePerHour,
      existingBids: await listProviderBidSnapshots(tx, order.id, provider.id),
      canServe: canServe(requirementOf(order), provider, inventory),
      now,
    });
    const bid = await insertBid(tx, provider, {
      orderId: order.id,
      pricePerHour,
      expiresAt: bidExpiry(now, order.expiresAt, env().BID_TTL_SECONDS),
    });
    await emit({
      type: "bid.created",
      entityId: bid.id,
      audience: [order.tenantId, provider.accountId],
      payload: bidToWire(bid),
    });
    return bid;
  });
}
