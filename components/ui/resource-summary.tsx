import { cpu, gpuLabel, size } from "@/lib/format";
import type { ResourceUnit } from "@/lib/market/types";

/** What an order asks for: "2× H100 ≥80 GB" on top, CPU · memory · storage (× replicas) below. */
export function ResourceSummary({ resources, count }: { resources: ResourceUnit; count: number }) {
  return (
    <div className="min-w-0">
      <p className="font-medium text-slate-900">
        {gpuLabel(resources.gpu)}
        {count > 1 && <span className="ml-1 font-normal text-slate-500">× {count} replicas</span>}
      </p>
      <p className="text-xs tabular-nums text-slate-500">
        {cpu(resources.cpuMillicores)} · {size(resources.memoryBytes)} RAM · {size(resources.storageBytes)}{" "}
        disk
      </p>
    </div>
  );
}

/** The last characters of an id, enough to tell rows apart ("…3f9a2c"). */
export function ShortId({ id }: { id: string }) {
  return (
    <span title={id} className="font-mono text-xs text-slate-500">
      …{id.slice(-6)}
    </span>
  );
}
