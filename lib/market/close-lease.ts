import { isAdmin, type Principal } from "@/lib/auth/principal";
import type { Db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { closeLeaseEscrow } from "@/lib/escrow/escrow-accounts";
import { escrowSettings } from "@/lib/escrow/settings";
import { resolveLeaseClose } from "./auction";
import type { Emit } from "./market-transaction";
import { marketTransaction } from "./market-transaction";
import {
  closeLeaseRow,
  findBid,
  findLease,
  lockInventory,
  lockOrder,
  setBidStates,
  setOrderState,
  shiftAllocations,
  type LeaseRecord,
} from "./market.repository";
import type { LeaseCloseReason } from "./types";
import { bidToWire, leaseToWire, orderToWire } from "./wire-format";

/**
 * Closes a lease inside the caller's transaction, which already holds the order's lock:
 * the lease, its bid and its order close, and the inventory it held is freed.
 */
export async function closeLeaseLocked(
  tx: Db,
  emit: Emit,
  lease: LeaseRecord,
  reason: LeaseCloseReason,
  now: Date,
): Promise<LeaseRecord> {
  resolveLeaseClose({ leaseState: lease.state });
  await lockInventory(tx, lease.providerId);
  const released = await closeLeaseRow(tx, lease.id, reason, now);
  await closeLeaseEscrow(tx, escrowSettings(), lease.id, reason);
  await shiftAllocations(tx, released, -1);
  await setBidStates(tx, [lease.bidId], "closed", now);
  const order = await lockOrder(tx, lease.orderId);
  if (order && order.state !== "closed") await setOrderState(tx, order.id, "closed", now);

  const parties = [lease.tenantId, lease.provider.accountId];
  const closed: LeaseRecord = { ...lease, state: "closed", closeReason: reason, closedAt: now };
  if (order) {
    await emit({
      type: "order.updated",
      entityId: order.id,
      audience: parties,
      payload: orderToWire({ ...order, state: "closed", closedAt: now }),
    });
  }
  const bid = await findBid(tx, lease.bidId);
  if (bid) await emit({ type: "bid.updated", entityId: bid.id, audience: parties, payload: bidToWire(bid) });
  await emit({ type: "lease.updated", entityId: lease.id, audience: parties, payload: leaseToWire(closed) });
  return closed;
}

export async function closeLease(
  principal: Principal,
  leaseId: string,
  now = new Date(),
): Promise<LeaseRecord> {
  return marketTransaction(async (tx, emit) => {
    const found = await findLease(tx, leaseId);
    if (!found) throw new AppError("NOT_FOUND", "no lease with this id");
    let reason: LeaseCloseReason;
    if (found.tenantId === principal.accountId) reason = "owner";
    else if (found.provider.accountId === principal.accountId) reason = "provider";
    else if (isAdmin(principal)) reason = "admin";
    else throw new AppError("FORBIDDEN", "only the lease's tenant or provider can close it");
    await lockOrder(tx, found.orderId);
    const lease = await findLease(tx, leaseId);
    if (!lease) throw new AppError("NOT_FOUND", "no lease with this id");
    return closeLeaseLocked(tx, emit, lease, reason, now);
  });
}
