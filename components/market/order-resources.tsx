import { cpu, size } from "@/lib/format";
import { gpuRequestLabel, type GpuChoiceLike } from "@/lib/gpu-names";

/** One replica's resources, as a record (sizes as bigint) or as the API sends them (numbers). */
export interface ResourcesLike {
  gpu: {
    units: number;
    vendor: string;
    model: string | null;
    memoryGiB: number | null;
    choices?: readonly GpuChoiceLike[];
  };
  cpuMillicores: number;
  memoryBytes: bigint | number;
  storageBytes: bigint | number;
}

function machine(resources: ResourcesLike): string {
  return `${cpu(resources.cpuMillicores)} · ${size(resources.memoryBytes)} RAM · ${size(resources.storageBytes)} disk`;
}

function unitLabel(resources: ResourcesLike, count: number): string {
  return `${gpuRequestLabel(resources.gpu)}${count > 1 ? ` × ${count}` : ""} · ${machine(resources)}`;
}

/**
 * What an order asks for per replica: GPUs first (any of an SDL's acceptable models), then CPU,
 * memory, storage; an SDL group's other services ("+ 2 more services") after it.
 */
export function OrderResources({
  resources,
  count,
  additionalUnits = [],
  compact = false,
}: {
  resources: ResourcesLike;
  count: number;
  additionalUnits?: readonly { resources: ResourcesLike; count: number }[];
  compact?: boolean;
}) {
  const replicas = count > 1 ? ` × ${count} replicas` : "";
  const more =
    additionalUnits.length > 0
      ? `+ ${additionalUnits.length} more ${additionalUnits.length === 1 ? "service" : "services"}`
      : null;
  const moreDetail = additionalUnits.map((unit) => unitLabel(unit.resources, unit.count)).join("\n");
  if (compact) {
    return (
      <p className="text-xs text-slate-500">
        {gpuRequestLabel(resources.gpu)}
        {replicas} · {machine(resources)}
        {more && (
          <span title={moreDetail} className="font-medium text-slate-600">
            {" "}
            · {more}
          </span>
        )}
      </p>
    );
  }
  return (
    <div>
      <p className="font-semibold text-slate-900">
        {gpuRequestLabel(resources.gpu)}
        {replicas && <span className="ml-1 font-normal text-slate-500">{replicas}</span>}
      </p>
      <p className="text-xs text-slate-500">{machine(resources)}</p>
      {more && (
        <div className="mt-1 text-xs text-slate-500">
          <p className="font-medium text-slate-600">{more}</p>
          <ul className="mt-0.5 space-y-0.5">
            {additionalUnits.map((unit, index) => (
              <li key={index}>{unitLabel(unit.resources, unit.count)}</li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
