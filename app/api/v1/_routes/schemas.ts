import { z } from "zod";
import { ServiceReportSchema, WORKLOAD_STATUSES } from "@/lib/verify/protocol";

/** Response shapes for the OpenAPI document; wire-format.ts produces exactly these. */
export const IdParams = z.strictObject({
  id: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z0-9_-]+$/, { message: "is not a valid id" }),
});

export const Money = z
  .string()
  .meta({ pattern: "^\\d+\\.\\d{6}$", example: "2.450000", description: "USD, 6 decimals" });
export const Timestamp = z.string().meta({ format: "date-time" });

export const AccountWire = z.object({
  id: z.string(),
  state: z.enum(["active", "suspended"]),
  email: z.string().nullable(),
  ethAddress: z.string().nullable(),
  roles: z.array(z.enum(["tenant", "provider", "admin"])),
  createdAt: Timestamp,
});

export const ProviderWire = z.object({
  id: z.string(),
  state: z.enum(["active", "suspended"]),
  name: z.string(),
  hostUri: z.string(),
  region: z.string(),
  attributes: z.record(z.string(), z.string()),
  signingAddress: z
    .string()
    .nullable()
    .describe("Address of the key that signs the provider agent's heartbeats (PUT /provider/signing-key)"),
  createdAt: Timestamp,
});

export const InventoryWire = z.object({
  id: z.string(),
  state: z.enum(["free", "allocated"]),
  providerId: z.string(),
  gpu: z.object({
    vendor: z.string(),
    model: z.string(),
    memoryGiB: z.number().int(),
    interface: z.string(),
    count: z.number().int(),
  }),
  cpuMillicores: z.number().int(),
  memoryBytes: z.number().int(),
  storageBytes: z.number().int(),
  allocated: z.object({
    gpu: z.number().int(),
    cpuMillicores: z.number().int(),
    memoryBytes: z.number().int(),
    storageBytes: z.number().int(),
  }),
  freeGpus: z.number().int(),
  createdAt: Timestamp,
});

const ResourcesWire = z.object({
  gpu: z.object({
    units: z.number().int(),
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
  cpuMillicores: z.number().int(),
  memoryBytes: z.number().int(),
  storageBytes: z.number().int(),
});

export const OrderWire = z.object({
  id: z.string(),
  state: z.enum(["open", "active", "closed"]),
  tenantId: z.string(),
  deploymentId: z.string().nullable(),
  groupName: z.string().nullable(),
  resources: ResourcesWire,
  count: z.number().int(),
  additionalUnits: z.array(z.object({ resources: ResourcesWire, count: z.number().int() })),
  region: z.string().nullable(),
  attributes: z.record(z.string(), z.string()),
  signedBy: z.object({ allOf: z.array(z.string()), anyOf: z.array(z.string()) }),
  maxPricePerHour: Money,
  expiresAt: Timestamp,
  createdAt: Timestamp,
  closedAt: Timestamp.nullable(),
});

export const BidWire = z.object({
  id: z.string(),
  state: z.enum(["open", "active", "lost", "closed"]),
  orderId: z.string(),
  providerId: z.string(),
  provider: z.object({ name: z.string(), region: z.string() }),
  pricePerHour: Money,
  expiresAt: Timestamp,
  createdAt: Timestamp,
  closedAt: Timestamp.nullable(),
});

/** Token amount in the token's units, as a decimal string with all its decimals ("25.000000"). */
export const TokenAmount = z
  .string()
  .regex(/^-?\d+(\.\d+)?$/)
  .meta({ example: "25.000000" });

export const LeaseWire = z.object({
  id: z.string(),
  state: z.enum(["active", "insufficient_funds", "closed"]),
  orderId: z.string(),
  bidId: z.string(),
  tenantId: z.string(),
  providerId: z.string(),
  provider: z.object({ name: z.string(), region: z.string(), hostUri: z.string() }),
  pricePerHour: Money,
  closeReason: z
    .enum(["owner", "provider", "unstable", "manifest_timeout", "insufficient_funds", "admin"])
    .nullable(),
  manifestDeliveredAt: Timestamp.nullable(),
  deploymentId: z
    .string()
    .nullable()
    .describe("The deployment its order came from (null: an order posted without SDL)"),
  groupName: z.string().nullable().describe("The SDL placement group its order was made from"),
  manifestVersion: z.string().nullable().describe("sha256 of the manifest the provider must run"),
  workload: z
    .object({
      status: z.enum(["pending", ...WORKLOAD_STATUSES]),
      services: z.array(ServiceReportSchema),
      lastHeartbeatAt: Timestamp.nullable(),
      verifiedSeconds: z
        .number()
        .int()
        .describe("Seconds the verifier found it running; only these are paid"),
      firstVerifiedAt: Timestamp.nullable(),
    })
    .nullable()
    .describe(
      "What the provider's agent reports and the verifier counted; null before the first report or check",
    ),
  createdAt: Timestamp,
  closedAt: Timestamp.nullable(),
  escrow: z
    .object({
      chainLeaseId: z.string().describe("The lease's bytes32 id in the escrow contract"),
      state: z
        .enum(["pending", "open", "closed"])
        .describe("pending: the open-lease transaction is not confirmed yet"),
      startedAt: Timestamp.nullable().describe("Start time recorded by the contract"),
      settledSeconds: z.number().int().describe("Seconds covered by settled usage receipts"),
      paid: TokenAmount.describe("Paid out of escrow for this lease so far, fee included"),
    })
    .nullable()
    .describe("Set when the lease is paid through its deployment's escrow"),
});

export const ApiKeyWire = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  createdAt: Timestamp,
  lastUsedAt: Timestamp.nullable(),
  revokedAt: Timestamp.nullable(),
  state: z.enum(["active", "revoked"]),
});

/** A cursor into a lease's log lines, as GET /leases/{id}/logs returns it. */
export const LogCursor = z
  .string()
  .regex(/^\d{1,19}$/, { message: "must be a cursor returned before" })
  // Within the id column's range (the regex alone lets 19 digits past it).
  .refine((value) => !/^\d{1,19}$/.test(value) || BigInt(value) <= 2n ** 63n - 1n, {
    message: "must be a cursor returned before",
  })
  .optional();
