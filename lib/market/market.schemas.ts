import { z } from "zod";
import { MAX_PRICE_PER_HOUR_MICROS, formatUsd, tryParseUsd } from "@/lib/money";
import { BID_STATES, LEASE_STATES, ORDER_STATES } from "./types";

/** Request schemas of the market; the REST API, the forms and the OpenAPI document share them. */

export const MAX_GPUS_PER_ITEM = 64;
export const MAX_CPU_MILLICORES = 1_024_000;
export const MAX_MEMORY_BYTES = 64 * 1024 ** 4;
export const MAX_STORAGE_BYTES = 2 ** 52;
export const MAX_REPLICAS = 100;
export const MAX_ORDER_TTL_SECONDS = 30 * 24 * 60 * 60;

/** PostgreSQL text and jsonb cannot hold U+0000, so it is refused here rather than failing the insert. */
const hasNoNul = (value: string) => !value.includes("\u0000");
const NUL_MESSAGE = "must not contain NUL characters";

const slug = (max: number) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .min(1, { message: "is required" })
    .max(max, { message: `must be at most ${max} characters` })
    .regex(/^[a-z0-9][a-z0-9._-]*$/, { message: "may contain only letters, digits, '.', '_' and '-'" });

export const GpuVendorSchema = z.enum(["nvidia", "amd"], { message: "must be nvidia or amd" });
export const GpuInterfaceSchema = z.enum(["pcie", "sxm"], { message: "must be pcie or sxm" });
export const GpuModelSchema = slug(64);
export const RegionSchema = slug(64);

const sizeBytes = (max: number, label: string) =>
  z
    .number({ message: "must be an integer number of bytes" })
    .int({ message: "must be an integer number of bytes" })
    .positive({ message: "must be greater than 0" })
    .max(max, { message: `must be at most ${max} bytes (${label})` });

export const MemoryBytesSchema = sizeBytes(MAX_MEMORY_BYTES, "64 TiB");
export const StorageBytesSchema = sizeBytes(MAX_STORAGE_BYTES, "4 PiB");
export const CpuMillicoresSchema = z
  .number({ message: "must be an integer number of millicores" })
  .int({ message: "must be an integer number of millicores" })
  .positive({ message: "must be greater than 0" })
  .max(MAX_CPU_MILLICORES, { message: `must be at most ${MAX_CPU_MILLICORES}` });

export const AttributesSchema = z
  .record(
    z
      .string()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]*$/, {
        message: "keys may contain letters, digits, '.', '_', '/' and '-'",
      }),
    z
      .string()
      .min(1, { message: "must not be empty" })
      .max(128, { message: "must be at most 128 characters" })
      .refine(hasNoNul, { message: NUL_MESSAGE }),
  )
  .refine((value) => Object.keys(value).length <= 32, { message: "at most 32 attributes" })
  .default({});

/** A decimal USD string with at most 6 decimals, e.g. "2.450000"; parsed to micro-USD. */
export const UsdPriceSchema = z
  .string({ message: 'must be a decimal string like "2.50"' })
  .transform((value, ctx) => {
    const micros = tryParseUsd(value);
    if (micros === null) {
      ctx.addIssue({
        code: "custom",
        message: /\.\d{7,}$/.test(value)
          ? "must have at most 6 decimal places"
          : 'must be a decimal string like "2.50"',
      });
      return z.NEVER;
    }
    if (micros <= 0n) {
      ctx.addIssue({ code: "custom", message: "must be greater than 0" });
      return z.NEVER;
    }
    if (micros > MAX_PRICE_PER_HOUR_MICROS) {
      ctx.addIssue({ code: "custom", message: `must be at most ${formatUsd(MAX_PRICE_PER_HOUR_MICROS)}` });
      return z.NEVER;
    }
    return micros;
  })
  .meta({ type: "string", pattern: "^(0|[1-9]\\d*)(\\.\\d{1,6})?$", example: "2.450000" });

export const UpsertProviderSchema = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1, { message: "is required" })
    .max(80)
    .refine(hasNoNul, { message: NUL_MESSAGE }),
  hostUri: z.url({ protocol: /^https?$/, message: "must be an http(s) URL" }).max(255),
  region: RegionSchema,
  attributes: AttributesSchema,
});
export type UpsertProviderInput = z.infer<typeof UpsertProviderSchema>;

export const AddInventorySchema = z.strictObject({
  gpu: z.strictObject({
    vendor: GpuVendorSchema,
    model: GpuModelSchema,
    memoryGiB: z.number().int().positive().max(1024, { message: "must be at most 1024" }),
    interface: GpuInterfaceSchema,
    count: z
      .number()
      .int()
      .min(0)
      .max(MAX_GPUS_PER_ITEM, { message: `must be at most ${MAX_GPUS_PER_ITEM}` }),
  }),
  cpuMillicores: CpuMillicoresSchema,
  memoryBytes: MemoryBytesSchema,
  storageBytes: StorageBytesSchema,
});
export type AddInventoryInput = z.infer<typeof AddInventorySchema>;

/** How long an order stays open for bids. */
export const ExpiresInSecondsSchema = z
  .number()
  .int({ message: "must be a whole number of seconds" })
  .min(60, { message: "must be at least 60 seconds" })
  .max(MAX_ORDER_TTL_SECONDS, { message: `must be at most ${MAX_ORDER_TTL_SECONDS} seconds (30 days)` });

export const CreateOrderSchema = z.strictObject({
  resources: z.strictObject({
    gpu: z.strictObject({
      units: z
        .number()
        .int()
        .min(0)
        .max(MAX_GPUS_PER_ITEM, { message: `must be at most ${MAX_GPUS_PER_ITEM}` }),
      vendor: GpuVendorSchema.default("nvidia"),
      model: GpuModelSchema.optional(),
      memoryGiB: z.number().int().positive().max(1024, { message: "must be at most 1024" }).optional(),
    }),
    cpuMillicores: CpuMillicoresSchema,
    memoryBytes: MemoryBytesSchema,
    storageBytes: StorageBytesSchema,
  }),
  count: z
    .number()
    .int()
    .positive()
    .max(MAX_REPLICAS, { message: `must be at most ${MAX_REPLICAS}` })
    .default(1),
  region: RegionSchema.optional(),
  attributes: AttributesSchema,
  maxPricePerHour: UsdPriceSchema,
  /** The order's own lifetime; ORDER_TTL_SECONDS when left out. */
  expiresInSeconds: ExpiresInSecondsSchema.optional(),
});
export type CreateOrderInput = z.infer<typeof CreateOrderSchema>;

export const PlaceBidSchema = z.strictObject({ pricePerHour: UsdPriceSchema });

export const OrderStateSchema = z.enum(ORDER_STATES);
export const BidStateSchema = z.enum(BID_STATES);
export const LeaseStateSchema = z.enum(LEASE_STATES);
