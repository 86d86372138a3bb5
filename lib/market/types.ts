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

/** What one replica of an order needs. */
export interface ResourceUnit {
  gpu: { units: number; vendor: string; model: string | null; memoryGiB: number | null };
  cpuMillicores: number;
  memoryBytes: bigint;
  storageBytes: bigint;
}

export interface OrderRequirement {
  resources: ResourceUnit;
  /** Replicas; each replica must fit on one inventory item (GPUs of a replica share a machine). */
  count: number;
  region: string | null;
  attributes: Attributes;
}

export interface ProviderProfile {
  id: string;
  region: string;
  attributes: Attributes;
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
