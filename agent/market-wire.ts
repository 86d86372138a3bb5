import { z } from "zod";
import type { InventoryItem, OrderRequirement, ProviderProfile, ResourceUnit } from "@/lib/market/types";
import { tryParseUsd } from "@/lib/money";

/**
 * The parts of the API's JSON (lib/market/wire-format.ts) the agent reads, checked at the
 * boundary. Objects are not strict: the server may add fields without breaking the agent.
 * Fields the server is adding in this release (deploymentId, groupName and manifestVersion on a
 * lease, signingAddress on a provider) are optional here so an older server still works.
 */

const UsdMicros = z.string().transform((value, ctx) => {
  const micros = tryParseUsd(value);
  if (micros === null) {
    ctx.addIssue({ code: "custom", message: "must be a decimal USD string" });
    return z.NEVER;
  }
  return micros;
});

const Bytes = z.number().int().nonnegative();

const ResourcesWire = z.object({
  gpu: z.object({
    units: z.number().int().nonnegative(),
    vendor: z.string(),
    model: z.string().nullable(),
    memoryGiB: z.number().int().nullable(),
    choices: z.array(
      z.object({
        model: z.string(),
        memoryGiB: z.number().int().nullable(),
        interface: z.string().nullable(),
      }),
    ),
  }),
  cpuMillicores: z.number().int().nonnegative(),
  memoryBytes: Bytes,
  storageBytes: Bytes,
});

/** Loose: unknown fields are kept, so an external price command sees the order as the API sent it. */
export const OrderWireSchema = z.looseObject({
  id: z.string(),
  state: z.enum(["open", "active", "closed"]),
  deploymentId: z.string().nullable().default(null),
  groupName: z.string().nullable().default(null),
  resources: ResourcesWire,
  count: z.number().int().positive(),
  additionalUnits: z
    .array(z.object({ resources: ResourcesWire, count: z.number().int().positive() }))
    .default([]),
  region: z.string().nullable(),
  attributes: z.record(z.string(), z.string()),
  maxPricePerHour: UsdMicros,
  expiresAt: z.string(),
  createdAt: z.string(),
});
export type AgentOrder = z.infer<typeof OrderWireSchema>;

export const BidWireSchema = z.object({
  id: z.string(),
  state: z.enum(["open", "active", "lost", "closed"]),
  orderId: z.string(),
  providerId: z.string(),
  pricePerHour: UsdMicros,
  createdAt: z.string(),
});
export type AgentBid = z.infer<typeof BidWireSchema>;

export const LeaseWireSchema = z.object({
  id: z.string(),
  state: z.enum(["active", "insufficient_funds", "closed"]),
  orderId: z.string(),
  providerId: z.string(),
  pricePerHour: UsdMicros,
  deploymentId: z.string().nullable().default(null),
  groupName: z.string().nullable().default(null),
  /** sha256 hex of the manifest the tenant posted, fixed when the deployment was created. */
  manifestVersion: z.string().nullable().default(null),
  createdAt: z.string(),
});
export type AgentLease = z.infer<typeof LeaseWireSchema>;

export const ProviderWireSchema = z.object({
  id: z.string(),
  state: z.enum(["active", "suspended"]),
  name: z.string(),
  region: z.string(),
  attributes: z.record(z.string(), z.string()),
  /** The address heartbeats must be signed by (null or absent: none registered yet). */
  signingAddress: z.string().nullable().default(null),
});
export type AgentProvider = z.infer<typeof ProviderWireSchema>;

export const InventoryWireSchema = z.object({
  id: z.string(),
  gpu: z.object({
    vendor: z.string(),
    model: z.string(),
    memoryGiB: z.number().int(),
    interface: z.string(),
    count: z.number().int().nonnegative(),
  }),
  cpuMillicores: z.number().int().nonnegative(),
  memoryBytes: Bytes,
  storageBytes: Bytes,
  allocated: z.object({
    gpu: z.number().int().nonnegative(),
    cpuMillicores: z.number().int().nonnegative(),
    memoryBytes: Bytes,
    storageBytes: Bytes,
  }),
});

export const ManifestResponseSchema = z.object({
  deploymentId: z.string(),
  manifestVersion: z.string(),
  /** The exact text whose sha256 is the manifest version. */
  manifestJson: z.string(),
});
export type ManifestResponse = z.infer<typeof ManifestResponseSchema>;

export function resourceUnitOf(wire: z.infer<typeof ResourcesWire>): ResourceUnit {
  return {
    gpu: {
      units: wire.gpu.units,
      vendor: wire.gpu.vendor,
      model: wire.gpu.model,
      memoryGiB: wire.gpu.memoryGiB,
      choices: wire.gpu.choices.map((choice) => ({ ...choice })),
    },
    cpuMillicores: wire.cpuMillicores,
    memoryBytes: BigInt(wire.memoryBytes),
    storageBytes: BigInt(wire.storageBytes),
  };
}

export function inventoryItemOf(wire: z.infer<typeof InventoryWireSchema>): InventoryItem {
  return {
    id: wire.id,
    gpu: { ...wire.gpu },
    cpuMillicores: wire.cpuMillicores,
    memoryBytes: BigInt(wire.memoryBytes),
    storageBytes: BigInt(wire.storageBytes),
    allocated: {
      gpu: wire.allocated.gpu,
      cpuMillicores: wire.allocated.cpuMillicores,
      memoryBytes: BigInt(wire.allocated.memoryBytes),
      storageBytes: BigInt(wire.allocated.storageBytes),
    },
  };
}

/** Every shape of an order with its replica count: the main unit first, then the additional units. */
export function orderShapesOf(order: AgentOrder): Array<{ resources: ResourceUnit; count: number }> {
  return [
    { resources: resourceUnitOf(order.resources), count: order.count },
    ...order.additionalUnits.map((unit) => ({
      resources: resourceUnitOf(unit.resources),
      count: unit.count,
    })),
  ];
}

/**
 * The order's capacity needs only: no region, attributes or auditors. The server checked those
 * when it offered the order and took the bid, and they do not change when capacity does; the
 * agent cannot check auditors itself (the provider wire does not carry them).
 */
export function capacityRequirementOf(order: AgentOrder): OrderRequirement {
  const [main, ...additional] = orderShapesOf(order);
  return {
    resources: main!.resources,
    count: main!.count,
    additionalUnits: additional,
    region: null,
    attributes: {},
    signedBy: { allOf: [], anyOf: [] },
  };
}

/** A profile that passes every non-capacity check, for use with capacityRequirementOf. */
export function capacityProfileOf(provider: AgentProvider): ProviderProfile {
  return {
    id: provider.id,
    region: provider.region,
    attributes: provider.attributes,
    auditedBy: [],
    status: "active",
  };
}
