import { modelName } from "@/lib/gpu-names";
import { getMarketOverview, type GpuModelSummary, type MarketOverview } from "@/lib/market/market-overview";
import type { ResourceUnit } from "@/lib/market/types";
import { checkSdl, type DeploymentGroupDraft } from "@/lib/sdl";
import { TEMPLATES } from "@/lib/sdl/templates";
import { sdlOptions } from "./sdl-options";

export interface TemplateWithEstimate {
  slug: string;
  name: string;
  description: string;
  category: string;
  gpuSummary: string;
  sdl: string;
  /** Micro-USD per hour at recent winning prices for the cheapest acceptable GPU; null without price data. */
  estimatedPricePerHour: bigint | null;
  estimateBasis: string;
}

let parsed: Promise<Map<string, DeploymentGroupDraft[]>> | undefined;

/** The templates' orders, worked out once per process (they are constants). */
function templateGroups(): Promise<Map<string, DeploymentGroupDraft[]>> {
  parsed ??= Promise.all(
    TEMPLATES.map(async (template) => {
      const result = await checkSdl(template.sdl, sdlOptions());
      if (!result.valid)
        throw new Error(`template ${template.slug} is not valid SDL: ${result.errors[0]?.message}`);
      return [template.slug, result.groups] as const;
    }),
  ).then(
    (entries) => new Map(entries),
    (error: unknown) => {
      parsed = undefined; // not kept: the next call tries again
      throw error;
    },
  );
  return parsed;
}

/** The public gallery reads the market at most every OVERVIEW_TTL_MS, however often it is asked. */
const OVERVIEW_TTL_MS = 10_000;
let overviewCache: { at: number; value: Promise<MarketOverview> } | undefined;

function recentOverview(now: Date): Promise<MarketOverview> {
  if (
    !overviewCache ||
    now.getTime() - overviewCache.at > OVERVIEW_TTL_MS ||
    now.getTime() < overviewCache.at
  ) {
    const value = getMarketOverview(now);
    overviewCache = { at: now.getTime(), value };
    value.catch(() => {
      if (overviewCache?.value === value) overviewCache = undefined;
    });
  }
  return overviewCache.value;
}

/** The cheapest acceptable GPU model with a recent median price, for one resource unit. */
function cheapestModel(unit: ResourceUnit, models: readonly GpuModelSummary[]): GpuModelSummary | null {
  const acceptable = models.filter(
    (summary) =>
      summary.medianPricePerGpuHour !== null &&
      summary.vendor.toLowerCase() === unit.gpu.vendor.toLowerCase() &&
      (unit.gpu.choices.length === 0 ||
        unit.gpu.choices.some(
          (choice) =>
            choice.model.toLowerCase() === summary.model.toLowerCase() &&
            (choice.memoryGiB === null || summary.memoryGiB >= choice.memoryGiB),
        )),
  );
  acceptable.sort((a, b) => (a.medianPricePerGpuHour! < b.medianPricePerGpuHour! ? -1 : 1));
  return acceptable[0] ?? null;
}

/**
 * Estimate: for every GPU unit of every group, the median winning price per GPU-hour of the
 * cheapest model it accepts, times the GPUs it needs. CPU-only units add nothing (the market
 * prices GPUs); a template whose GPUs have no recent price gets no estimate.
 */
export async function listTemplatesWithEstimates(now = new Date()): Promise<TemplateWithEstimate[]> {
  const [groups, overview] = await Promise.all([templateGroups(), recentOverview(now)]);
  return TEMPLATES.map((template) => {
    let total = 0n;
    const basis: string[] = [];
    let missing = false;
    for (const group of groups.get(template.slug) ?? []) {
      const units = [
        { resources: group.requirement.resources, count: group.requirement.count },
        ...group.requirement.additionalUnits,
      ];
      for (const unit of units) {
        if (unit.resources.gpu.units === 0) continue;
        const model = cheapestModel(unit.resources, overview.gpuModels);
        if (!model) {
          missing = true;
          continue;
        }
        const gpus = unit.resources.gpu.units * unit.count;
        total += model.medianPricePerGpuHour! * BigInt(gpus);
        basis.push(`${gpus}× ${modelName(model.model)}`);
      }
    }
    return {
      slug: template.slug,
      name: template.name,
      description: template.description,
      category: template.category,
      gpuSummary: template.gpuSummary,
      sdl: template.sdl,
      estimatedPricePerHour: missing || basis.length === 0 ? null : total,
      estimateBasis:
        missing || basis.length === 0
          ? "No recent winning prices for these GPUs yet"
          : `Median of recent winning prices: ${basis.join(" + ")}`,
    };
  });
}
