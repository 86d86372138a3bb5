import { formatBytes, formatUsdDisplay } from "@/lib/money";

/** A replica's resources: "1 GPU (h100 | a100), 8 CPU, 40 GiB memory, 100 GiB storage". */
export function resourcesLine(resources: {
  gpu: { units: number; vendor: string; model?: string | null; choices?: ReadonlyArray<{ model: string }> };
  cpuMillicores: number;
  memoryBytes: bigint | number;
  storageBytes: bigint | number;
}): string {
  const parts: string[] = [];
  if (resources.gpu.units > 0) {
    const models = resources.gpu.choices?.length
      ? resources.gpu.choices.map((choice) => choice.model).join(" | ")
      : (resources.gpu.model ?? `any ${resources.gpu.vendor}`);
    parts.push(`${resources.gpu.units} ${resources.gpu.units === 1 ? "GPU" : "GPUs"} (${models})`);
  }
  parts.push(`${resources.cpuMillicores / 1000} CPU`);
  parts.push(`${formatBytes(BigInt(resources.memoryBytes))} memory`);
  parts.push(`${formatBytes(BigInt(resources.storageBytes))} storage`);
  return parts.join(", ");
}

export function replicasOf(count: number, resources: Parameters<typeof resourcesLine>[0]): string {
  return `${count} ${count === 1 ? "replica" : "replicas"} of ${resourcesLine(resources)}`;
}

export function perHour(micros: bigint): string {
  return `${formatUsdDisplay(micros)}/hour`;
}
