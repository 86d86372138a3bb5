/**
 * Domain types of the order book. Plain data: no Prisma, no I/O. Sizes are integers
 * (bytes as bigint), money is bigint micro-USD (6 decimals) per hour.
 */
export const ORDER_STATES = ["open", "active", "closed"] as const;
export const BID_STATES = ["open", "active", "lost", "closed"] as const;
export const LEASE_STATES = ["active", "insufficient_funds", "closed"] as const;
export const LEASE_CLOSE_REASONS = [
  "owner",
  "provider",
  "unstable",
  "manifest_timeout",
  "insufficient_funds",
  "admin",
] as const;

export type OrderState = (typeof ORDER_STATES)[number];
export type BidState = (typeof BID_STATES)[number];
export type LeaseState = (typeof LEASE_STATES)[number];
export type LeaseCloseReason = (typeof LEASE_CLOSE_REASONS)[number];

export type Attributes = Record<string, string>;

/**
 * One acceptable GPU of an order written in SDL ("vendor/nvidia/model/h100/ram/80Gi/interface/sxm"):
 * the model, and optionally at least this much VRAM and this interface.
 */
export interface GpuChoice {
  model: string;
  memoryGiB: number | null;
  interface: string | null;
}

/** What one replica of an order needs. */
export interface ResourceUnit {
  gpu: {
    units: number;
    vendor: string;
    /** Exactly this model (null: any). */
    model: string | null;
    /** At least this much VRAM per GPU (null: any). */
    memoryGiB: number | null;
    /** When not empty, the GPU must also be one of these (SDL's list of models); empty: no constraint. */
    choices: GpuChoice[];
  };
  cpuMillicores: number;
  memoryBytes: bigint;
  storageBytes: bigint;
}

/** Another resource shape of the same placement group (an SDL group with several services or profiles). */
export interface AdditionalUnit {
  resources: ResourceUnit;
  count: number;
}

/** Auditors that must have signed the provider's attributes (SDL `signedBy`). */
export interface SignedBy {
  allOf: string[];
  anyOf: string[];
}

export interface OrderRequirement {
  resources: ResourceUnit;
  /** Replicas; each replica must fit on one inventory item (GPUs of a replica share a machine). */
  count: number;
  /** Further shapes that must be placed on the same provider; empty for a single-shape order. */
  additionalUnits: AdditionalUnit[];
  region: string | null;
  attributes: Attributes;
  signedBy: SignedBy;
}

export interface ProviderProfile {
  id: string;
  region: string;
  attributes: Attributes;
  /** Auditors that have attested this provider's attributes. */
  auditedBy: string[];
  status: "active" | "suspended";
}

/** One listed machine (or homogeneous node) of a provider, with what is already allocated. */
export interface InventoryItem {
  id: string;
  gpu: { vendor: string; model: string; memoryGiB: number; interface: string; count: number };
  cpuMillicores: number;
  memoryBytes: bigint;
  storageBytes: bigint;
  allocated: { gpu: number; cpuMillicores: number; memoryBytes: bigint; storageBytes: bigint };
}

/** What a placement takes from one inventory item. */
export interface Allocation {
  inventoryId: string;
  gpu: number;
  cpuMillicores: number;
  memoryBytes: bigint;
  storageBytes: bigint;
}

export interface OrderSnapshot {
  id: string;
  tenantId: string;
  state: OrderState;
  maxPricePerHour: bigint;
  expiresAt: Date;
}

export interface BidSnapshot {
  id: string;
  orderId: string;
  providerId: string;
  state: BidState;
  pricePerHour: bigint;
  expiresAt: Date;
  createdAt: Date;
}

export const BID_TTL_SECONDS = 300;
export const ORDER_TTL_SECONDS_DEFAULT = 24 * 60 * 60;
