import { z } from "zod";
import {
  AddInventorySchema,
  PlaceBidSchema,
  UpsertProviderSchema,
  type AddInventoryInput,
  type UpsertProviderInput,
} from "@/lib/market/market.schemas";

/**
 * The provider dashboard's forms post human units (cores, GiB) and key=value rows; these
 * schemas turn them into the use cases' inputs, then reuse the market schemas for the rules.
 */

const GiB = 1024 ** 3;
const MAX_MEMORY_GIB = 64 * 1024;
const MAX_STORAGE_GIB = 4 * 1024 * 1024;

const wholeNumber = z
  .string()
  .trim()
  .min(1, { message: "is required" })
  .regex(/^\d{1,9}$/, { message: "must be a whole number" })
  .transform(Number);

const gibibytes = (max: number, label: string) =>
  wholeNumber.pipe(
    z
      .number()
      .positive({ message: "must be greater than 0" })
      .max(max, { message: `must be at most ${max.toLocaleString("en-US")} GiB (${label})` }),
  );

/** "16", "0.5", "2.25" cores -> millicores, digit by digit so no float rounding creeps in. */
const coresAsMillicores = z
  .string()
  .trim()
  .min(1, { message: "is required" })
  .regex(/^\d{1,7}(\.\d{1,3})?$/, { message: "must be a number of cores like 16 or 0.5" })
  .transform((value) => {
    const [whole = "0", fraction = ""] = value.split(".");
    return Number(whole) * 1000 + Number(fraction.padEnd(3, "0"));
  });

export const InventoryFormSchema = z
  .object({
    gpuVendor: z.string(),
    gpuModel: z.string(),
    gpuMemoryGiB: wholeNumber,
    gpuInterface: z.string(),
    gpuCount: wholeNumber,
    cpuCores: coresAsMillicores,
    memoryGiB: gibibytes(MAX_MEMORY_GIB, "64 TiB"),
    storageGiB: gibibytes(MAX_STORAGE_GIB, "4 PiB"),
  })
  .transform(
    (form): AddInventoryInput =>
      AddInventorySchema.parse({
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
      }),
  );

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

/** Attribute rows arrive as parallel attrKey / attrValue lists; blank rows are ignored. */
export function parseProviderForm(formData: FormData): UpsertProviderInput {
  const keys = formData.getAll("attrKey").map(String);
  const values = formData.getAll("attrValue").map(String);
  const attributes: Record<string, string> = {};
  const issues: z.core.$ZodIssue[] = [];
  keys.forEach((rawKey, index) => {
    const key = rawKey.trim();
    const value = (values[index] ?? "").trim();
    if (!key && !value) return;
    if (!key) issues.push({ code: "custom", path: ["attributes"], message: `row ${index + 1} needs a key`, input: rawKey });
    else if (key in attributes) issues.push({ code: "custom", path: ["attributes"], message: `"${key}" appears twice`, input: rawKey });
    else attributes[key] = value;
  });
  if (issues.length > 0) throw new z.ZodError(issues);
  return UpsertProviderSchema.parse({
    name: formData.get("name") ?? "",
    hostUri: String(formData.get("hostUri") ?? "").trim(),
    region: formData.get("region") ?? "",
    attributes,
  });
}

export const BidFormSchema = z.object({
  orderId: z.string().min(1),
  pricePerHour: z.string().trim(),
}).transform(({ orderId, pricePerHour }) => ({ orderId, ...PlaceBidSchema.parse({ pricePerHour }) }));

export const IdFormSchema = z.object({ id: z.string().min(1, { message: "is required" }) });
