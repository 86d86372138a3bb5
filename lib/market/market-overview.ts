import { db } from "@/lib/db";
import { freeOf } from "./matching";
import { listAllInventory, listOpenOrdersNotExpired, type OrderRecord } from "./market.repository";

export interface GpuModelSummary {
  vendor: string;
  model: string;
  memoryGiB: number;
  totalGpus: number;
  freeGpus: number;
  providers: number;
  /** Winning hourly prices per GPU of the latest leases, newest first (micro-USD). */
  recentPricesPerGpu: { pricePerGpuHour: bigint; at: Date }[];
  medianPricePerGpuHour: bigint | null;
}

export interface MarketOverview {
  gpuModels: GpuModelSummary[];
  openOrders: OrderRecord[];
  totals: { providers: number; gpus: number; freeGpus: number; openOrders: number; activeLeases: number };
}

const RECENT_LEASES = 200;

function median(values: bigint[]): bigint | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2n;
}

function modelKey(vendor: string, model: string): string {
  return `${vendor}/${model}`.toLowerCase();
}

/** An SDL order that accepts exactly one GPU model names it in its choices. */
function singleChoiceModel(choices: unknown): string | null {
  if (!Array.isArray(choices) || choices.length !== 1) return null;
  const model = (choices[0] as { model?: unknown }).model;
  return typeof model === "string" ? model : null;
}

/** The public market: capacity by GPU model, open orders, and recent winning prices per GPU-hour. */
export async function getMarketOverview(now = new Date()): Promise<MarketOverview> {
  const [inventory, openOrders, leases, activeLeases] = await Promise.all([
    listAllInventory(db()),
    listOpenOrdersNotExpired(db(), now, 50),
    db().lease.findMany({
      orderBy: { createdAt: "desc" },
      take: RECENT_LEASES,
      select: {
        pricePerHour: true,
        createdAt: true,
        order: { select: { gpuUnits: true, gpuVendor: true, gpuModel: true, gpuChoices: true, count: true } },
      },
    }),
    db().lease.count({ where: { state: "active" } }),
  ]);

  const byModel = new Map<string, GpuModelSummary & { providerIds: Set<string> }>();
  for (const item of inventory) {
    if (item.gpu.count === 0) continue;
    const key = modelKey(item.gpu.vendor, item.gpu.model);
    const summary = byModel.get(key) ?? {
      vendor: item.gpu.vendor,
      model: item.gpu.model,
      memoryGiB: item.gpu.memoryGiB,
      totalGpus: 0,
      freeGpus: 0,
      providers: 0,
      recentPricesPerGpu: [],
      medianPricePerGpuHour: null,
      providerIds: new Set<string>(),
    };
    summary.totalGpus += item.gpu.count;
    summary.freeGpus += freeOf(item).gpu;
    summary.providerIds.add(item.providerId);
    summary.memoryGiB = Math.max(summary.memoryGiB, item.gpu.memoryGiB);
    byModel.set(key, summary);
  }
  for (const lease of leases) {
    const gpus = lease.order.gpuUnits * lease.order.count;
    const model = lease.order.gpuModel ?? singleChoiceModel(lease.order.gpuChoices);
    if (gpus === 0 || !model) continue;
    const summary = byModel.get(modelKey(lease.order.gpuVendor, model));
    if (!summary) continue;
    summary.recentPricesPerGpu.push({
      pricePerGpuHour: lease.pricePerHour / BigInt(gpus),
      at: lease.createdAt,
    });
  }
  const gpuModels = [...byModel.values()]
    .map(({ providerIds, ...summary }) => ({
      ...summary,
      providers: providerIds.size,
      recentPricesPerGpu: summary.recentPricesPerGpu.slice(0, 20),
      medianPricePerGpuHour: median(summary.recentPricesPerGpu.slice(0, 20).map((p) => p.pricePerGpuHour)),
    }))
    .sort((a, b) => b.memoryGiB - a.memoryGiB || a.model.localeCompare(b.model));

  return {
    gpuModels,
    openOrders,
    totals: {
      providers: new Set(inventory.map((item) => item.providerId)).size,
      gpus: gpuModels.reduce((sum, model) => sum + model.totalGpus, 0),
      freeGpus: gpuModels.reduce((sum, model) => sum + model.freeGpus, 0),
      openOrders: openOrders.length,
      activeLeases,
    },
  };
}
