import { canServe } from "@/lib/market/matching";
import type { InventoryItem } from "@/lib/market/types";
import { formatUsd } from "@/lib/money";
import { ApiError, type ApiClient } from "./api";
import type { AgentPricing } from "./config";
import { reasonOf, type AgentLog } from "./log";
import {
  capacityProfileOf,
  capacityRequirementOf,
  type AgentBid,
  type AgentOrder,
  type AgentProvider,
} from "./market-wire";
import { priceOrder } from "./price-order";

/**
 * Bids automatically: prices each order the server offers (order.created, and the market list
 * at start and on every resync) and bids at once; withdraws open bids the provider's free
 * inventory can no longer serve once capacity went to a lease.
 *
 * The server decides which orders reach the agent (it offers only what the free inventory can
 * serve) and refuses a bid it cannot take, so the agent does not second-guess an offer with a
 * cached inventory; it uses the inventory to know which of its GPU models an order would get.
 * A bid that expired while its order stays open is placed again on the next resync.
 */
export interface BidEngineOptions {
  api: ApiClient;
  provider: AgentProvider;
  pricing: AgentPricing;
  log: AgentLog;
}

/** Orders priced at once while catching up; an order event is handled as it comes. */
const CATCH_UP_CONCURRENCY = 4;

export class BidEngine {
  private inventory: InventoryItem[] = [];
  /** Our open bid on each order. */
  private readonly openBids = new Map<string, string>();
  /** Orders we hold an open bid on, kept to re-check them against capacity without a request. */
  private readonly biddedOrders = new Map<string, AgentOrder>();
  private readonly pricing = new Set<string>();
  /** Orders priced to "no bid": not priced again until the inventory changes. */
  private readonly declined = new Set<string>();
  private recheck: Promise<void> | null = null;
  private recheckAgain = false;
  private stopped = false;

  constructor(private readonly options: BidEngineOptions) {}

  /** Loads inventory and bids, then bids on the open orders the provider can serve. */
  async start(): Promise<void> {
    await this.resync();
  }

  stop(): void {
    this.stopped = true;
  }

  /** Refreshes inventory and bids, withdraws bids it can no longer serve, bids on what it missed. */
  async resync(): Promise<void> {
    await this.recheckBids();
    await this.catchUp();
  }

  /** order.created / order.updated from the event stream. */
  onOrder(order: AgentOrder): void {
    if (order.state !== "open") {
      this.forgetOrder(order.id);
      return;
    }
    void this.considerOrder(order);
  }

  /** bid.created / bid.updated of this provider's bids. */
  onBid(bid: AgentBid): void {
    if (bid.providerId !== this.options.provider.id) return;
    if (bid.state === "open") this.openBids.set(bid.orderId, bid.id);
    else if (this.openBids.get(bid.orderId) === bid.id) this.forgetOrder(bid.orderId);
  }

  /**
   * Capacity changed (a lease of this provider started or ended): re-check the open bids. Calls
   * while a check runs are folded into one more check.
   */
  onCapacityChanged(): void {
    this.recheckBids().catch((error: unknown) =>
      this.options.log.warn("bid re-check failed; the next resync retries", { error: reasonOf(error) }),
    );
  }

  private forgetOrder(orderId: string): void {
    this.openBids.delete(orderId);
    this.biddedOrders.delete(orderId);
    this.declined.delete(orderId);
  }

  private async catchUp(): Promise<void> {
    const orders = await this.options.api.listMarketOrders();
    // Offers that left the market (taken, closed, expired) need no memory of their decline.
    const offered = new Set(orders.map((order) => order.id));
    for (const orderId of this.declined) if (!offered.has(orderId)) this.declined.delete(orderId);
    const queue = orders.filter((order) => !this.declined.has(order.id));
    const workers = Array.from({ length: CATCH_UP_CONCURRENCY }, async () => {
      for (let order = queue.shift(); order && !this.stopped; order = queue.shift())
        await this.considerOrder(order);
    });
    await Promise.all(workers);
  }

  private async considerOrder(order: AgentOrder): Promise<void> {
    if (this.stopped || this.openBids.has(order.id) || this.pricing.has(order.id)) return;
    this.pricing.add(order.id);
    const { api, log } = this.options;
    const receivedAt = Date.now();
    try {
      const decision = await priceOrder(order, this.options.pricing, this.inventory);
      if (!decision.bid) {
        this.declined.add(order.id);
        log.info("no bid", { order: order.id, reason: decision.reason });
        return;
      }
      const bid = await api.placeBid(order.id, decision.pricePerHour);
      this.openBids.set(order.id, bid.id);
      this.biddedOrders.set(order.id, order);
      log.info("bid placed", {
        order: order.id,
        bid: bid.id,
        price: formatUsd(bid.pricePerHour),
        max: formatUsd(order.maxPricePerHour),
        gpu: decision.gpuModels.join("|") || undefined,
        msSinceOrderCreated: Date.now() - Date.parse(order.createdAt),
        msToBid: Date.now() - receivedAt,
      });
    } catch (error) {
      log.warn("bid refused", { order: order.id, error: reasonOf(error) });
    } finally {
      this.pricing.delete(order.id);
    }
  }

  private recheckBids(): Promise<void> {
    if (this.recheck) {
      this.recheckAgain = true;
      return this.recheck;
    }
    this.recheck = (async () => {
      try {
        do {
          this.recheckAgain = false;
          await this.recheckOnce();
        } while (this.recheckAgain && !this.stopped);
      } finally {
        this.recheck = null;
      }
    })();
    return this.recheck;
  }

  private async recheckOnce(): Promise<void> {
    const { api, log, provider } = this.options;
    const [inventory, bids] = await Promise.all([api.listInventory(), api.listOwnBids()]);
    if (inventoryChanged(this.inventory, inventory)) this.declined.clear();
    this.inventory = inventory;

    // Merged, not replaced: a bid placed while the list was on its way is not in it yet.
    for (const bid of bids) this.onBid(bid);

    const profile = capacityProfileOf(provider);
    for (const [orderId, bidId] of this.openBids) {
      if (this.stopped) return;
      try {
        const order = this.biddedOrders.get(orderId) ?? (await api.getOrder(orderId));
        this.biddedOrders.set(orderId, order);
        if (order.state !== "open" || canServe(capacityRequirementOf(order), profile, inventory)) continue;
        await api.closeBid(bidId);
        this.forgetOrder(orderId);
        log.info("bid closed: capacity taken", { bid: bidId, order: orderId });
      } catch (error) {
        // A bid that closed or lost in the meantime answers 409: nothing left to do.
        if (error instanceof ApiError && error.status === 409) this.forgetOrder(orderId);
        else log.warn("bid re-check failed", { bid: bidId, order: orderId, error: reasonOf(error) });
      }
    }
  }
}

/** Whether free capacity or the set of machines differs (what an order could get may have changed). */
function inventoryChanged(before: readonly InventoryItem[], after: readonly InventoryItem[]): boolean {
  const key = (items: readonly InventoryItem[]) =>
    JSON.stringify(
      items.map((item) => [
        item.id,
        item.gpu.model,
        item.gpu.count - item.allocated.gpu,
        item.cpuMillicores - item.allocated.cpuMillicores,
        String(item.memoryBytes - item.allocated.memoryBytes),
        String(item.storageBytes - item.allocated.storageBytes),
      ]),
    );
  return key(before) !== key(after);
}
