/** Display names of GPU vendors and models: "nvidia" -> "NVIDIA", "rtx4090" -> "RTX 4090". */
const VENDOR_NAMES: Record<string, string> = { nvidia: "NVIDIA", amd: "AMD" };

export function vendorName(vendor: string): string {
  return VENDOR_NAMES[vendor] ?? vendor.toUpperCase();
}

export function modelName(model: string): string {
  return model.toUpperCase().replace(/^(RTX|GTX|MI|RX)[-_]?(\d)/, "$1 $2");
}

export interface GpuChoiceLike {
  model: string | null;
  memoryGiB: number | null;
  interface: string | null;
}

/** "H100 80 GB", "A100", "H100 SXM": one acceptable GPU of an SDL order. */
export function gpuChoiceLabel(choice: GpuChoiceLike, vendor: string): string {
  const model = choice.model ? modelName(choice.model) : `any ${vendorName(vendor)}`;
  const memory = choice.memoryGiB ? ` ${choice.memoryGiB} GB` : "";
  const port = choice.interface
    ? ` ${choice.interface === "pcie" ? "PCIe" : choice.interface.toUpperCase()}`
    : "";
  return `${model}${memory}${port}`;
}

/** "H100, A100 or L40S". */
function either(labels: string[]): string {
  if (labels.length <= 1) return labels.join("");
  return `${labels.slice(0, -1).join(", ")} or ${labels.at(-1)}`;
}

/**
 * "1× H100 ≥80 GB", "2× any NVIDIA", "1× H100 80 GB or A100", "CPU only": the GPU part of an
 * order's resources. An SDL order lists the GPUs it accepts as `choices` (any one of them will do).
 */
export function gpuRequestLabel(gpu: {
  units: number;
  vendor: string;
  model: string | null;
  memoryGiB: number | null;
  choices?: readonly GpuChoiceLike[];
}): string {
  if (gpu.units === 0) return "CPU only";
  if (gpu.choices && gpu.choices.length > 0) {
    return `${gpu.units}× ${either(gpu.choices.map((choice) => gpuChoiceLabel(choice, gpu.vendor)))}`;
  }
  const model = gpu.model ? modelName(gpu.model) : `any ${vendorName(gpu.vendor)}`;
  return `${gpu.units}× ${model}${gpu.memoryGiB ? ` ≥${gpu.memoryGiB} GB` : ""}`;
}
