import type { Principal } from "@/lib/auth/principal";
import { AppError } from "@/lib/errors";
import { openLeaseEscrow } from "@/lib/escrow/escrow-accounts";
import { escrowSettings } from "@/lib/escrow/settings";
import { resolveAccept } from "./auction";
import { planPlacement } from "./matching";
import { marketTransaction } from "./market-transaction";
import {
  findBid,
  findLease,
  findProviderById,
  insertLease,
  listBidsForOrder,
  lockInventory,
  lockOrder,
  setBidStates,
  setOrderState,
  shiftAllocations,
  type LeaseRecord,
} from "./market.repository";
import { requirementOf } from "./requirement";
import { bidToWire, leaseToWire, orderToWire } from "./wire-format";

/**
 * Accepts a bid atomically: the order becomes active, the bid active, every other open bid
 * lost, the provider's inventory allocated and the lease created — all in one transaction
 * under the order's row lock, so racing accepts and closes give one lease or none.
 */
export async function acceptBid(principal: Principal, bidId: string, now = new Date()): Promise<LeaseRecord> {
  return marketTransaction(async (tx, emit) => {
    const found = await findBid(tx, bidId);
    if (!found) throw new AppError("NOT_FOUND", "no bid with this id");
    const order = await lockOrder(tx, found.orderId);
    if (!order) throw new AppError("NOT_FOUND", "no bid with this id");
    if (order.tenantId !== principal.accountId) {
      throw new AppError("FORBIDDEN", "only the order's tenant can accept its bids");
    }
    const bids = await listBidsForOrder(tx, order.id);
    const bid = bids.find((entry) => entry.id === bidId);
    if (!bid) throw new AppError("NOT_FOUND", "no bid with this id");
    const outcome = resolveAccept({ order, bid, bids, now });

    const provider = await findProviderById(tx, bid.providerId);
    if (!provider || provider.status !== "active") {
      throw new AppError("INVALID_STATE", "the bidding provider is no longer active");
    }
    const inventory = await lockInventory(tx, provider.id);
    const allocations = planPlacement(requirementOf(order), provider, inventory);
    if (!allocations) {
      throw new AppError("CONFLICT", "the provider no longer has free inventory for this order");
    }
    await shiftAllocations(tx, allocations, 1);
    await setOrderState(tx, order.id, outcome.orderState, now);
    await setBidStates(tx, [bid.id], "active", now);
    await setBidStates(tx, outcome.lostBidIds, "lost", now);
    const lease = await insertLease(tx, {
      orderId: order.id,
      bidId: bid.id,
      tenantId: order.tenantId,
      providerId: provider.id,
      pricePerHour: bid.pricePerHour,
      allocations,
    });
    await openLeaseEscrow(
      tx,
      escrowSettings(),
      { id: lease.id, pricePerHour: lease.pricePerHour, providerAccountId: provider.accountId },
      order.deploymentId ? { id: order.deploymentId, tenantId: order.tenantId } : null,
    );
    const stored = (await findLease(tx, lease.id)) ?? lease;

    const parties = [order.tenantId, provider.accountId];
    await emit({
      type: "order.updated",
      entityId: order.id,
      audience: [order.tenantId, ...bids.map((entry) => entry.provider.accountId)],
      payload: orderToWire({ ...order, state: "active" }),
    });
    for (const other of bids) {
      const state = other.id === bid.id ? "active" : outcome.lostBidIds.includes(other.id) ? "lost" : null;
      if (!state) continue;
      await emit({
        type: "bid.updated",
        entityId: other.id,
        audience: [order.tenantId, other.provider.accountId],
        payload: bidToWire({ ...other, state, closedAt: state === "lost" ? now : null }),
      });
    }
    await emit({
      type: "lease.created",
      entityId: lease.id,
      audience: parties,
      payload: leaseToWire(stored),
    });
    return stored;
  });
}
