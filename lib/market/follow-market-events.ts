import { hasRole, type Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db";
import { effectiveOrderState } from "./auction";
import { eventHub } from "./event-hub";
import { listEventsAfter, type MarketEvent } from "./market-event.repository";
import { canServe } from "./matching";
import { findOrder, findProviderByAccount, listInventory } from "./market.repository";
import { requirementOf } from "./requirement";

const REPLAY_LIMIT = 500;

/**
 * Follows the market changes a caller may see: its own orders, bids and leases, and, for a
 * provider, every new order its free inventory can serve at the time it is posted.
 * Replays what came after `afterId` first (for a reconnecting EventSource).
 */
export async function followMarketEvents(
  principal: Principal,
  options: { afterId: bigint | null },
  send: (event: MarketEvent) => void,
): Promise<() => void> {
  const isProvider = hasRole(principal, "provider");

  async function visible(event: MarketEvent): Promise<boolean> {
    if (event.audience.includes(principal.accountId)) return true;
    if (!event.forProviders || !isProvider) return false;
    const provider = await findProviderByAccount(db(), principal.accountId);
    if (!provider || provider.status !== "active") return false;
    const order = await findOrder(db(), event.entityId);
    // Only open orders are offered: a replayed offer of a taken or closed order would show
    // its terms to a provider who can no longer see it.
    if (!order || order.tenantId === principal.accountId) return false;
    if (effectiveOrderState(order, new Date()) !== "open") return false;
    return canServe(requirementOf(order), provider, await listInventory(db(), provider.id));
  }

  // Events are checked one at a time, in order, so a stream never reorders them.
  let queue = Promise.resolve();
  const enqueue = (event: MarketEvent) => {
    queue = queue.then(async () => {
      if (await visible(event).catch(() => false)) send(event);
    });
  };

  const buffered: MarketEvent[] = [];
  let replaying = options.afterId !== null;
  const unsubscribe = eventHub().subscribe((event) => (replaying ? buffered.push(event) : enqueue(event)));
  if (options.afterId !== null) {
    try {
      const missed = await listEventsAfter(db(), options.afterId, REPLAY_LIMIT, {
        accountId: principal.accountId,
        includeProviderOffers: isProvider,
      });
      const seen = new Set(missed.map((event) => event.id));
      for (const event of missed) enqueue(event);
      replaying = false;
      for (const event of buffered) if (!seen.has(event.id)) enqueue(event);
    } catch (error) {
      unsubscribe();
      throw error;
    }
  }
  return unsubscribe;
}
