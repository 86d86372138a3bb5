import { Table, Td } from "@/components/ui/table";
import { perHour } from "@/lib/format";
import type { GpuModelSummary } from "@/lib/market/market-overview";
import { AvailabilityBar } from "./availability-bar";
import { modelName, vendorName } from "@/lib/gpu-names";
import { PriceSparkline } from "./price-sparkline";

/** Capacity and prices per GPU model: a table on wide screens, a card per model on a phone. */
export function GpuModelsTable({ models }: { models: GpuModelSummary[] }) {
  return (
    <>
      <div className="hidden sm:block">
        <Table
          head={["GPU model", "VRAM", "Available", "Providers", "Median price", "Recent winning prices"]}
        >
          {models.map((model) => (
            <tr key={`${model.vendor}/${model.model}`}>
              <Td>
                <span className="font-semibold text-slate-900">{modelName(model.model)}</span>
                <span className="ml-1.5 text-xs text-slate-500">{vendorName(model.vendor)}</span>
              </Td>
              <Td className="tabular-nums">{model.memoryGiB} GB</Td>
              <Td>
                <AvailabilityBar free={model.freeGpus} total={model.totalGpus} />
              </Td>
              <Td className="tabular-nums">{model.providers}</Td>
              <Td className="tabular-nums">
                {model.medianPricePerGpuHour === null ? (
                  <span className="text-slate-400">—</span>
                ) : (
                  <>
                    <span className="font-semibold text-slate-900">
                      {perHour(model.medianPricePerGpuHour)}
                    </span>
                    <span className="text-xs text-slate-500"> per GPU</span>
                  </>
                )}
              </Td>
              <Td>
                <PriceSparkline
                  label={`${modelName(model.model)} per GPU-hour`}
                  prices={[...model.recentPricesPerGpu].reverse().map((entry) => entry.pricePerGpuHour)}
                />
              </Td>
            </tr>
          ))}
        </Table>
      </div>
      <ul className="divide-y divide-slate-100 sm:hidden">
        {models.map((model) => (
          <li key={`${model.vendor}/${model.model}`} className="py-3 first:pt-0 last:pb-0">
            <div className="flex items-baseline justify-between gap-3">
              <p>
                <span className="font-semibold text-slate-900">{modelName(model.model)}</span>
                <span className="ml-1.5 text-xs text-slate-500">
                  {vendorName(model.vendor)} · {model.memoryGiB} GB
                </span>
              </p>
              <p className="text-sm tabular-nums">
                {model.medianPricePerGpuHour === null ? (
                  <span className="text-slate-400">no price yet</span>
                ) : (
                  <>
                    <span className="font-semibold text-slate-900">
                      {perHour(model.medianPricePerGpuHour)}
                    </span>
                    <span className="text-xs text-slate-500"> /GPU median</span>
                  </>
                )}
              </p>
            </div>
            <div className="mt-2 flex items-end justify-between gap-4 text-sm">
              <AvailabilityBar free={model.freeGpus} total={model.totalGpus} />
              <div className="text-right">
                <PriceSparkline
                  label={`${modelName(model.model)} per GPU-hour`}
                  prices={[...model.recentPricesPerGpu].reverse().map((entry) => entry.pricePerGpuHour)}
                />
                <p className="text-xs text-slate-500">
                  {model.providers} provider{model.providers === 1 ? "" : "s"}
                </p>
              </div>
            </div>
          </li>
        ))}
      </ul>
    </>
  );
}
