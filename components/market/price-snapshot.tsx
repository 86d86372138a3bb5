import Link from "next/link";
import { perHour } from "@/lib/format";
import type { GpuModelSummary } from "@/lib/market/market-overview";
import { modelName, vendorName } from "@/lib/gpu-names";

/** A compact price board: each GPU model's median winning price and free count. */
export function PriceSnapshot({ models }: { models: GpuModelSummary[] }) {
  return (
    <div className="rounded-xl bg-white shadow-xs ring-1 ring-slate-200">
      <div className="flex items-center justify-between border-b border-slate-100 px-4 py-3">
        <h2 className="text-sm font-semibold text-slate-900">Market right now</h2>
        <Link href="/market" className="text-xs font-semibold text-brand-600 hover:text-brand-700">
          Full market →
        </Link>
      </div>
      {models.length === 0 ? (
        <p className="px-4 py-6 text-sm text-slate-500">No GPUs are listed yet — providers, be the first.</p>
      ) : (
        <table className="mb-2 w-full text-sm">
          <caption className="sr-only">
            GPU models with median winning price per GPU-hour and free GPUs
          </caption>
          <thead>
            <tr className="text-left text-xs text-slate-500">
              <th scope="col" className="px-4 pt-3 pb-1 font-medium">
                GPU
              </th>
              <th scope="col" className="px-4 pt-3 pb-1 text-right font-medium">
                Median /GPU
              </th>
              <th scope="col" className="px-4 pt-3 pb-1 text-right font-medium">
                Free
              </th>
            </tr>
          </thead>
          <tbody>
            {models.slice(0, 6).map((model) => (
              <tr key={`${model.vendor}/${model.model}`}>
                <td className="px-4 py-2">
                  <span className="font-semibold text-slate-900">{modelName(model.model)}</span>
                  <span className="ml-1.5 text-xs text-slate-500">
                    {vendorName(model.vendor)} {model.memoryGiB} GB
                  </span>
                </td>
                <td className="px-4 py-2 text-right font-semibold tabular-nums text-slate-900">
                  {model.medianPricePerGpuHour === null ? (
                    <span className="font-normal text-slate-400">—</span>
                  ) : (
                    perHour(model.medianPricePerGpuHour)
                  )}
                </td>
                <td className="px-4 py-2 text-right tabular-nums text-slate-600">{model.freeGpus}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
