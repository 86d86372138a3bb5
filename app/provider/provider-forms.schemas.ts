import { z } from "zod";
import {
  AddInventorySchema,
  GpuInterfaceSchema,
  GpuModelSchema,
  GpuVendorSchema,
  UpsertProviderSchema,
  UsdPriceSchema,
  type AddInventoryInput,
  type UpsertProviderInput,
} from "@/lib/market/market.schemas";

/**
 * The provider dashboard's forms post human units (cores, GiB) and key=value rows; these
 * schemas check them field by field, turn them into the use cases' inputs, and run the
 * market schemas over the result so the rules stay in one place.
 */

const GiB = 1024 ** 3;
const MAX_GPU_MEMORY_GIB = 1024;
const MAX_MEMORY_GIB = 64 * 1024;
const MAX_STORAGE_GIB = 4 * 1024 * 1024;

const wholeNumber = (min: number, max: number, unit = "") =>
  z
    .string()
    .trim()
    .min(1, { message: "is required", abort: true })
    .regex(/^\d{1,9}$/, { message: "must be a whole number" })
    .transform(Number)
    .pipe(
      z
        .number()
        .min(min, { message: min === 1 ? "must be greater than 0" : `must be at least ${min}` })
        .max(max, { message: `must be at most ${max.toLocaleString("en-US")}${unit}` }),
    );

/** "16", "0.5", "2.25" cores -> millicores, digit by digit so no float rounding creeps in. */
const coresAsMillicores = z
  .string()
  .trim()
  .min(1, { message: "is required", abort: true })
  .regex(/^\d{1,4}(\.\d{1,3})?$/, { message: "must be a number of cores like 16 or 0.5" })
  .transform((value) => {
    const [whole = "0", fraction = ""] = value.split(".");
    return Number(whole) * 1000 + Number(fraction.padEnd(3, "0"));
  })
  .pipe(z.number().positive({ message: "must be greater than 0" }));

const InventoryFormSchema = z.object({
  gpuVendor: GpuVendorSchema,
  gpuModel: GpuModelSchema,
  gpuMemoryGiB: wholeNumber(1, MAX_GPU_MEMORY_GIB, " GiB"),
  gpuInterface: GpuInterfaceSchema,
  gpuCount: wholeNumber(1, 64),
  cpuCores: coresAsMillicores,
  memoryGiB: wholeNumber(1, MAX_MEMORY_GIB, " GiB (64 TiB)"),
  storageGiB: wholeNumber(1, MAX_STORAGE_GIB, " GiB (4 PiB)"),
});

export function parseInventoryForm(formData: FormData): AddInventoryInput {
  const form = InventoryFormSchema.parse(Object.fromEntries(formData));
  return AddInventorySchema.parse({
    gpu: {
      vendor: form.gpuVendor,
      model: form.gpuModel,
      memoryGiB: form.gpuMemoryGiB,
      interface: form.gpuInterface,
      count: form.gpuCount,
    },
    cpuMillicores: form.cpuCores,
    memoryBytes: form.memoryGiB * GiB,
    storageBytes: form.storageGiB * GiB,
  });
}

/** Where AddInventorySchema's paths show on the form. */
export const INVENTORY_FIELD_ALIASES: Record<string, string> = {
  "gpu.vendor": "gpuVendor",
  "gpu.model": "gpuModel",
  "gpu.memoryGiB": "gpuMemoryGiB",
  "gpu.interface": "gpuInterface",
  "gpu.count": "gpuCount",
  cpuMillicores: "cpuCores",
  memoryBytes: "memoryGiB",
  storageBytes: "storageGiB",
};

function text(formData: FormData, name: string): string {
  const value = formData.get(name);
  return typeof value === "string" ? value : "";
}

/** Attribute rows arrive as parallel attrKey / attrValue lists; blank rows are ignored. */
export function parseProviderForm(formData: FormData): UpsertProviderInput {
  const keys = formData.getAll("attrKey").map((value) => (typeof value === "string" ? value : ""));
  const values = formData.getAll("attrValue").map((value) => (typeof value === "string" ? value : ""));
  const attributes: Record<string, string> = {};
  const rowProblems: string[] = [];
  keys.forEach((rawKey, index) => {
    const key = rawKey.trim();
    const value = (values[index] ?? "").trim();
    if (!key && !value) return;
    if (!key) rowProblems.push(`row ${index + 1} needs a key`);
    else if (Object.hasOwn(attributes, key)) rowProblems.push(`"${key}" appears twice`);
    else attributes[key] = value;
  });
  const parsed = UpsertProviderSchema.safeParse({
    name: text(formData, "name"),
    hostUri: text(formData, "hostUri").trim(),
    region: text(formData, "region"),
    attributes,
  });
  const issues = [
    ...(parsed.success ? [] : parsed.error.issues).map((issue) =>
      issue.path[0] === "attributes" && issue.path.length > 1
        ? { ...issue, path: ["attributes"], message: `${String(issue.path[1])}: ${issue.message}` }
        : issue,
    ),
    ...rowProblems.map((message) => ({
      code: "custom" as const,
      path: ["attributes"],
      message,
      input: undefined,
    })),
  ];
  if (issues.length > 0 || !parsed.success) throw new z.ZodError(issues);
  return parsed.data;
}

export const BidFormSchema = z.object({ orderId: z.string().min(1), pricePerHour: UsdPriceSchema });

export const IdFormSchema = z.object({ id: z.string().min(1, { message: "is required", abort: true }) });
