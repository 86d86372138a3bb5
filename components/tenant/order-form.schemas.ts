import { z } from "zod";
import {
  CreateOrderSchema,
  MAX_GPUS_PER_ITEM,
  MAX_REPLICAS,
  type CreateOrderInput,
} from "@/lib/market/market.schemas";

/**
 * The "post an order" form works in the units people think in (cores, GiB); this schema
 * reads its strings and builds the API's CreateOrderSchema input, which then validates
 * money and limits exactly as the REST API does.
 */
export const GPU_MODEL_CHOICES = [
  { value: "h100", label: "H100" },
  { value: "a100", label: "A100" },
  { value: "l40s", label: "L40S" },
  { value: "rtx4090", label: "RTX 4090" },
  { value: "", label: "Any model" },
] as const;

const GiB = 1024 ** 3;
const MAX_CPU_CORES = 1024;
const MAX_MEMORY_GIB = 64 * 1024;
const MAX_STORAGE_GIB = 4 * 1024 * 1024;

/** The form's input names, by the CreateOrderSchema path they fill. */
export const ORDER_FIELD_BY_PATH: Record<string, string> = {
  "resources.gpu.units": "gpuUnits",
  "resources.gpu.vendor": "gpuVendor",
  "resources.gpu.model": "gpuModel",
  "resources.gpu.memoryGiB": "gpuMemoryGiB",
  "resources.cpuMillicores": "cpuCores",
  "resources.memoryBytes": "memoryGiB",
  "resources.storageBytes": "storageGiB",
  count: "replicas",
  region: "region",
  maxPricePerHour: "maxPricePerHour",
};

export const ORDER_FIELD_LABELS: Record<string, string> = {
  gpuUnits: "GPUs",
  gpuVendor: "GPU vendor",
  gpuModel: "GPU model",
  gpuMemoryGiB: "Minimum VRAM",
  cpuCores: "CPU cores",
  memoryGiB: "Memory",
  storageGiB: "Storage",
  replicas: "Replicas",
  region: "Region",
  maxPricePerHour: "Max price per hour",
};

export function orderFieldFor(path: string): string {
  return ORDER_FIELD_BY_PATH[path] ?? path.split(".").pop() ?? path;
}

const text = z.string().trim();

function wholeNumber(options: { min: number; max: number; required: boolean }) {
  return text.transform((value, ctx) => {
    if (value === "") {
      if (options.required) ctx.addIssue({ code: "custom", message: "is required" });
      return undefined;
    }
    if (!/^\d+$/.test(value)) {
      ctx.addIssue({ code: "custom", message: "must be a whole number" });
      return z.NEVER;
    }
    const number = Number(value);
    if (number < options.min) ctx.addIssue({ code: "custom", message: `must be at least ${options.min}` });
    else if (number > options.max)
      ctx.addIssue({ code: "custom", message: `must be at most ${options.max}` });
    return number;
  });
}

/** Cores with up to 3 decimals, as integer millicores ("0.5" -> 500), without float arithmetic. */
const cpuCores = text.transform((value, ctx) => {
  const match = /^(\d+)(?:\.(\d{1,3}))?$/.exec(value);
  if (value === "") {
    ctx.addIssue({ code: "custom", message: "is required" });
    return z.NEVER;
  }
  if (!match) {
    ctx.addIssue({ code: "custom", message: "must be a number of cores like 8 or 0.5" });
    return z.NEVER;
  }
  const millicores = Number(match[1]) * 1000 + Number((match[2] ?? "").padEnd(3, "0"));
  if (millicores <= 0) ctx.addIssue({ code: "custom", message: "must be greater than 0" });
  else if (millicores > MAX_CPU_CORES * 1000)
    ctx.addIssue({ code: "custom", message: `must be at most ${MAX_CPU_CORES}` });
  return millicores;
});

export const OrderFormSchema = z
  .object({
    gpuUnits: wholeNumber({ min: 0, max: MAX_GPUS_PER_ITEM, required: true }),
    gpuVendor: z.enum(["nvidia", "amd"], { message: "must be NVIDIA or AMD" }),
    gpuModel: text,
    gpuMemoryGiB: wholeNumber({ min: 1, max: 1024, required: false }),
    cpuCores,
    memoryGiB: wholeNumber({ min: 1, max: MAX_MEMORY_GIB, required: true }),
    storageGiB: wholeNumber({ min: 1, max: MAX_STORAGE_GIB, required: true }),
    replicas: wholeNumber({ min: 1, max: MAX_REPLICAS, required: true }),
    region: text,
    maxPricePerHour: text.transform((value) => value.replace(/^\$/, "").replace(/,/g, "")),
  })
  .transform((form) => ({
    resources: {
      gpu: {
        units: form.gpuUnits ?? 0,
        vendor: form.gpuVendor,
        model: form.gpuModel || undefined,
        memoryGiB: form.gpuMemoryGiB,
      },
      cpuMillicores: form.cpuCores,
      memoryBytes: (form.memoryGiB ?? 0) * GiB,
      storageBytes: (form.storageGiB ?? 0) * GiB,
    },
    count: form.replicas ?? 1,
    region: form.region || undefined,
    maxPricePerHour: form.maxPricePerHour,
  }));

export type OrderFormResult = { ok: true; input: CreateOrderInput } | { ok: false; issues: z.ZodError };

/** Reads the form and validates it twice: in form units, then with the API's schema. */
export function parseOrderForm(values: Record<string, unknown>): OrderFormResult {
  const form = OrderFormSchema.safeParse(values);
  if (!form.success) return { ok: false, issues: form.error };
  const input = CreateOrderSchema.safeParse(form.data);
  if (!input.success) return { ok: false, issues: input.error };
  return { ok: true, input: input.data };
}
