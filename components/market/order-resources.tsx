import { cpu, size } from "@/lib/format";
import type { ResourceUnit } from "@/lib/market/types";
import { gpuRequestLabel } from "./gpu-names";

/** What an order asks for per replica: GPUs first, then CPU, memory, storage. */
export function OrderResources({
  resources,
  count,
  compact = false,
}: {
  resources: ResourceUnit;
  count: number;
  compact?: boolean;
}) {
  const machine = `${cpu(resources.cpuMillicores)} · ${size(resources.memoryBytes)} RAM · ${size(resources.storageBytes)} disk`;
  const replicas = count > 1 ? ` × ${count} replicas` : "";
  if (compact) {
    return (
      <p className="text-xs text-slate-500">
        {gpuRequestLabel(resources.gpu)}
        {replicas} · {machine}
      </p>
    );
  }
  return (
    <div>
      <p className="font-semibold text-slate-900">
        {gpuRequestLabel(resources.gpu)}
        {replicas && <span className="ml-1 font-normal text-slate-500">{replicas}</span>}
      </p>
      <p className="text-xs text-slate-500">{machine}</p>
    </div>
  );
}
