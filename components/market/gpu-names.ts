/** Display names of GPU vendors and models: "nvidia" -> "NVIDIA", "rtx4090" -> "RTX 4090". */
const VENDOR_NAMES: Record<string, string> = { nvidia: "NVIDIA", amd: "AMD" };

export function vendorName(vendor: string): string {
  return VENDOR_NAMES[vendor] ?? vendor.toUpperCase();
}

export function modelName(model: string): string {
  return model.toUpperCase().replace(/^(RTX|GTX|MI|RX)[-_]?(\d)/, "$1 $2");
}

/** "1× H100 · ≥80 GB", "2× any NVIDIA", "CPU only": the GPU part of an order's resources. */
export function gpuRequestLabel(gpu: {
  units: number;
  vendor: string;
  model: string | null;
  memoryGiB: number | null;
}): string {
  if (gpu.units === 0) return "CPU only";
  const model = gpu.model ? modelName(gpu.model) : `any ${vendorName(gpu.vendor)}`;
  return `${gpu.units}× ${model}${gpu.memoryGiB ? ` ≥${gpu.memoryGiB} GB` : ""}`;
}
