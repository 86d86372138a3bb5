import { gpuMatches } from "@/lib/market/matching";
import type { Attributes, InventoryItem, ResourceUnit } from "@/lib/market/types";
import { formatUsd } from "@/lib/money";

/**
 * The agent's bid price for an order. Pure: the order, the provider's pricing strategy and its
 * inventory in, a decision out. Money is bigint micro-USD per hour; no float ever carries it.
 *
 * Table price of one replica of a shape:
 *   GPUs x price of the GPU model + cores x cpuCore + GiB of memory x memoryGiB + GiB of storage x storageGiB
 * times its replicas, summed over the order's shapes (its unit and its additional units), then
 * rounded up to a whole micro-dollar (the table never under-prices by rounding). Margin rules
 * multiply that in order, each rounded up; the floor raises it; above the order's max price there
 * is no bid.
 */

export interface PricingStrategy {
  /** Micro-USD per GPU-hour by lowercase model. */
  gpu: ReadonlyMap<string, bigint>;
  /** Price of a GPU model the table does not name ("*" in the config); null: no bid on such GPUs. */
  gpuFallback: bigint | null;
  /** Micro-USD per core-hour (1000 millicores). */
  cpuCore: bigint;
  /** Micro-USD per GiB-hour of memory. */
  memoryGiB: bigint;
  /** Micro-USD per GiB-hour of storage. */
  storageGiB: bigint;
  /** Lowest hourly price of any bid, micro-USD. */
  floor: bigint;
  margins: readonly MarginRule[];
}

export interface MarginRule {
  when: MarginCondition;
  /** Factor in millionths: 950_000n is x0.95. */
  multiplyPpm: bigint;
}

/** Every condition given must hold; an empty condition always holds. */
export interface MarginCondition {
  /** One of the GPU models priced for the order is in this list (lowercase). */
  gpuModels?: readonly string[];
  /** At least / at most this many GPUs in the whole order (every replica of every shape). */
  minGpus?: number;
  maxGpus?: number;
  /** At least this many replicas in the whole order. */
  minReplicas?: number;
  /** The order asks for this region. */
  region?: string;
  /** The order asks for each of these placement attributes with this value. */
  attributes?: Readonly<Attributes>;
}

/** What pricing needs of an order: its shapes, placement asks and max price. */
export interface OrderToPrice {
  shapes: ReadonlyArray<{ resources: ResourceUnit; count: number }>;
  region: string | null;
  attributes: Readonly<Attributes>;
  maxPricePerHour: bigint;
}

export type PriceDecision =
  { bid: true; pricePerHour: bigint; gpuModels: string[] } | { bid: false; reason: string };

const MICROS_PER_UNIT = 1_000_000n;
const MILLICORES_PER_CORE = 1_000n;
const BYTES_PER_GIB = 1024n ** 3n;
/** Common denominator of the table's terms: per core (1000 millicores) and per GiB (2^30 bytes). */
const DENOMINATOR = MILLICORES_PER_CORE * BYTES_PER_GIB;

export function priceFromTable(
  order: OrderToPrice,
  strategy: PricingStrategy,
  inventory: readonly InventoryItem[],
): PriceDecision {
  let numerator = 0n;
  const gpuModels: string[] = [];
  for (const { resources, count } of order.shapes) {
    let gpuPrice = 0n;
    if (resources.gpu.units > 0) {
      const priced = gpuPriceFor(resources.gpu, strategy, inventory);
      if (!priced.ok) return { bid: false, reason: priced.reason };
      gpuPrice = priced.price;
      if (!gpuModels.includes(priced.model)) gpuModels.push(priced.model);
    }
    const replica =
      gpuPrice * BigInt(resources.gpu.units) * DENOMINATOR +
      strategy.cpuCore * BigInt(resources.cpuMillicores) * BYTES_PER_GIB +
      strategy.memoryGiB * resources.memoryBytes * MILLICORES_PER_CORE +
      strategy.storageGiB * resources.storageBytes * MILLICORES_PER_CORE;
    numerator += replica * BigInt(count);
  }
  const base = ceilDiv(numerator, DENOMINATOR);
  return finishPrice(base, order, strategy, { gpuModels, applyMargins: true });
}

/**
 * Margins (when asked), then the floor, then the order's max price. A price from an external
 * command skips the margins: the command is the whole strategy.
 */
export function finishPrice(
  base: bigint,
  order: OrderToPrice,
  strategy: Pick<PricingStrategy, "floor" | "margins">,
  options: { gpuModels: string[]; applyMargins: boolean },
): PriceDecision {
  let price = base;
  if (options.applyMargins) {
    for (const rule of strategy.margins) {
      if (marginApplies(rule.when, order, options.gpuModels)) {
        price = ceilDiv(price * rule.multiplyPpm, MICROS_PER_UNIT);
      }
    }
  }
  if (price < strategy.floor) price = strategy.floor;
  if (price <= 0n) return { bid: false, reason: "the price comes to 0" };
  if (price > order.maxPricePerHour) {
    return {
      bid: false,
      reason: `price ${formatUsd(price)} is above the order's max ${formatUsd(order.maxPricePerHour)}`,
    };
  }
  return { bid: true, pricePerHour: price, gpuModels: options.gpuModels };
}

export function marginApplies(
  when: MarginCondition,
  order: OrderToPrice,
  gpuModels: readonly string[],
): boolean {
  const gpus = order.shapes.reduce((sum, shape) => sum + shape.resources.gpu.units * shape.count, 0);
  const replicas = order.shapes.reduce((sum, shape) => sum + shape.count, 0);
  if (when.gpuModels && !gpuModels.some((model) => when.gpuModels!.includes(model))) return false;
  if (when.minGpus !== undefined && gpus < when.minGpus) return false;
  if (when.maxGpus !== undefined && gpus > when.maxGpus) return false;
  if (when.minReplicas !== undefined && replicas < when.minReplicas) return false;
  if (when.region !== undefined && order.region?.toLowerCase() !== when.region.toLowerCase()) return false;
  if (when.attributes) {
    for (const [key, value] of Object.entries(when.attributes)) {
      if (order.attributes[key] !== value) return false;
    }
  }
  return true;
}

type GpuPrice = { ok: true; model: string; price: bigint } | { ok: false; reason: string };

/**
 * Which GPU model a shape is priced as. The candidates are the provider's own models that satisfy
 * the order (any of them may end up placed), or, when the inventory has none, the models the
 * order names. Of the candidates with a price, the dearest wins, so a replica placed on the
 * provider's best card is never sold at the price of its cheapest.
 */
function gpuPriceFor(
  gpu: ResourceUnit["gpu"],
  strategy: PricingStrategy,
  inventory: readonly InventoryItem[],
): GpuPrice {
  const owned = inventory.filter((item) => gpuMatches(item, gpu)).map((item) => item.gpu.model.toLowerCase());
  const named = gpu.model !== null ? [gpu.model] : gpu.choices.map((choice) => choice.model);
  const candidates = [...new Set((owned.length > 0 ? owned : named).map((model) => model.toLowerCase()))];

  let best: { model: string; price: bigint } | null = null;
  for (const model of candidates) {
    const price = strategy.gpu.get(model) ?? strategy.gpuFallback;
    if (price !== null && (best === null || price > best.price)) best = { model, price };
  }
  if (best) return { ok: true, ...best };
  if (candidates.length === 0 && strategy.gpuFallback !== null) {
    return { ok: true, model: "*", price: strategy.gpuFallback };
  }
  return {
    ok: false,
    reason:
      candidates.length === 0
        ? 'the order accepts any GPU and the price table has no "*" entry'
        : `no price for GPU model ${candidates.join(" or ")}`,
  };
}

function ceilDiv(numerator: bigint, denominator: bigint): bigint {
  return (numerator + denominator - 1n) / denominator;
}
