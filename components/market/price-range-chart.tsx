import { perHour } from "@/lib/format";
import type { GpuModelSummary } from "@/lib/market/market-overview";
import { modelName } from "@/lib/gpu-names";

/** Position of `value` on a 0..`scale` axis in percent, with one decimal, computed in bigint. */
function percentOf(value: bigint, scale: bigint): number {
  if (scale <= 0n) return 0;
  return Number((value * 1000n) / scale) / 10;
}

/**
 * Recent winning prices per GPU-hour for each model on one shared axis: the bar spans the
 * cheapest to the dearest recent lease, the dot marks the median.
 */
export function PriceRangeChart({ models }: { models: GpuModelSummary[] }) {
  const priced = models
    .filter((model) => model.recentPricesPerGpu.length > 0 && model.medianPricePerGpuHour !== null)
    .map((model) => {
      const prices = model.recentPricesPerGpu.map((entry) => entry.pricePerGpuHour);
      return {
        key: `${model.vendor}/${model.model}`,
        name: modelName(model.model),
        low: prices.reduce((a, b) => (b < a ? b : a)),
        high: prices.reduce((a, b) => (b > a ? b : a)),
        median: model.medianPricePerGpuHour!,
        count: prices.length,
      };
    })
    .sort((a, b) => (a.median > b.median ? -1 : a.median < b.median ? 1 : 0));
  if (priced.length === 0) {
    return (
      <p className="text-sm text-slate-500">
        No leases yet — prices appear here once the first bids are accepted.
      </p>
    );
  }
  const scale = priced.reduce((max, row) => (row.high > max ? row.high : max), 0n);

  return (
    <figure>
      <ul className="space-y-3">
        {priced.map((row) => {
          const left = percentOf(row.low, scale);
          const width = Math.max(percentOf(row.high, scale) - left, 0.8);
          return (
            <li
              key={row.key}
              className="grid grid-cols-[4.5rem_1fr_4.5rem] items-center gap-3 text-sm sm:grid-cols-[6rem_1fr_6rem]"
            >
              <span className="font-semibold text-slate-900">{row.name}</span>
              <span
                className="relative h-2 rounded-full bg-slate-100"
                role="img"
                aria-label={`${row.name}: median ${perHour(row.median)} per GPU, range ${perHour(row.low)} to ${perHour(row.high)} over ${row.count} lease${row.count === 1 ? "" : "s"}`}
              >
                <span
                  className="absolute inset-y-0 rounded-full bg-brand-500/35"
                  style={{ left: `${left}%`, width: `${width}%` }}
                />
                <span
                  className="absolute top-1/2 h-3 w-3 -translate-x-1/2 -translate-y-1/2 rounded-full border-2 border-white bg-brand-600 shadow-xs"
                  style={{ left: `${percentOf(row.median, scale)}%` }}
                />
              </span>
              <span className="text-right font-semibold tabular-nums text-slate-900">
                {perHour(row.median)}
              </span>
            </li>
          );
        })}
      </ul>
      <figcaption className="mt-3 text-xs text-slate-500">
        Dot: median winning price per GPU-hour. Bar: cheapest to dearest of the latest leases (up to 20 per
        model).
      </figcaption>
    </figure>
  );
}
