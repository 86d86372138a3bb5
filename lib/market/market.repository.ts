import type { Db } from "@/lib/db";
import { newId } from "@/lib/db/ids";
import { Prisma } from "@/lib/db/generated/client";
import { verifiedSecondsOf } from "@/lib/verify/check-rules";
import { storedServices, type LeaseWorkloadStatus, type ServiceReport } from "@/lib/verify/protocol";
import type {
  AdditionalUnit,
  Allocation,
  Attributes,
  GpuChoice,
  BidSnapshot,
  BidState,
  InventoryItem,
  LeaseCloseReason,
  LeaseState,
  OrderState,
  ResourceUnit,
  SignedBy,
} from "./types";

/** Rows of the order and bid books, mapped to domain records; Prisma types stop here. */

export interface ProviderRecord {
  id: string;
  accountId: string;
  name: string;
  hostUri: string;
  region: string;
  attributes: Attributes;
  auditedBy: string[];
  /** Address of the key that signs the provider agent's heartbeats; null until registered. */
  signingAddress: string | null;
  status: "active" | "suspended";
  createdAt: Date;
}

export interface InventoryRecord extends InventoryItem {
  providerId: string;
  createdAt: Date;
}

export interface OrderRecord {
  id: string;
  tenantId: string;
  resources: ResourceUnit;
  count: number;
  additionalUnits: AdditionalUnit[];
  region: string | null;
  attributes: Attributes;
  signedBy: SignedBy;
  maxPricePerHour: bigint;
  state: OrderState;
  expiresAt: Date;
  createdAt: Date;
  closedAt: Date | null;
  deploymentId: string | null;
  groupName: string | null;
}

export interface BidRecord {
  id: string;
  orderId: string;
  providerId: string;
  provider: { name: string; region: string; accountId: string };
  pricePerHour: bigint;
  state: BidState;
  expiresAt: Date;
  createdAt: Date;
  closedAt: Date | null;
}

export interface LeaseRecord {
  id: string;
  orderId: string;
  bidId: string;
  tenantId: string;
  providerId: string;
  provider: { name: string; region: string; accountId: string; hostUri: string };
  pricePerHour: bigint;
  state: LeaseState;
  closeReason: LeaseCloseReason | null;
  manifestDeliveredAt: Date | null;
  createdAt: Date;
  closedAt: Date | null;
  /** The deployment and SDL group its order was made from (null for an order posted without SDL). */
  deploymentId: string | null;
  groupName: string | null;
  /** The version hash (sha256) of the manifest the provider must run. */
  manifestVersion: string | null;
  /** What the provider's agent reports and the verifier has counted; null before the first heartbeat. */
  workload: LeaseWorkloadState | null;
  /** Set when the lease is paid through a deployment's escrow on chain. */
  escrow: LeaseEscrow | null;
}

export interface LeaseWorkloadState {
  status: LeaseWorkloadStatus;
  services: ServiceReport[];
  lastHeartbeatAt: Date | null;
  verifiedSeconds: number;
  /** The first check that found it running (heartbeat and probes good). */
  firstVerifiedAt: Date | null;
}

export interface LeaseEscrow {
  chainLeaseId: string;
  chainState: "pending" | "open" | "closed";
  chainStartedAt: Date | null;
  settledSeconds: number;
  paidAmount: bigint;
}

function toAttributes(value: Prisma.JsonValue): Attributes {
  const attributes: Attributes = {};
  if (value && typeof value === "object" && !Array.isArray(value)) {
    for (const [key, entry] of Object.entries(value)) if (typeof entry === "string") attributes[key] = entry;
  }
  return attributes;
}

// ---------------------------------------------------------------- providers

const providerInclude = { account: { select: { status: true } } } as const;
type ProviderRow = Prisma.ProviderGetPayload<{ include: typeof providerInclude }>;

function toProvider(row: ProviderRow): ProviderRecord {
  return {
    id: row.id,
    accountId: row.accountId,
    name: row.name,
    hostUri: row.hostUri,
    region: row.region,
    attributes: toAttributes(row.attributes),
    auditedBy: row.auditedBy ?? [],
    signingAddress: row.signingAddress ?? null,
    status: row.account.status,
    createdAt: row.createdAt,
  };
}

/** One round trip: the bid and accept paths call it on every request. */
export async function findProviderByAccount(db: Db, accountId: string): Promise<ProviderRecord | null> {
  const rows = await db.$queryRaw<
    (Omit<ProviderRow, "account"> & { accountStatus: "active" | "suspended" })[]
  >`
    SELECT p.*, a.status::text AS "accountStatus"
    FROM provider p JOIN account a ON a.id = p."accountId"
    WHERE p."accountId" = ${accountId}`;
  const row = rows[0];
  return row ? toProvider({ ...row, account: { status: row.accountStatus } }) : null;
}

export async function findProviderById(db: Db, id: string): Promise<ProviderRecord | null> {
  const row = await db.provider.findUnique({ where: { id }, include: providerInclude });
  return row ? toProvider(row) : null;
}

export async function upsertProviderRow(
  db: Db,
  accountId: string,
  data: { name: string; hostUri: string; region: string; attributes: Attributes },
): Promise<ProviderRecord> {
  const row = await db.provider.upsert({
    where: { accountId },
    create: { accountId, ...data },
    update: data,
    include: providerInclude,
  });
  return toProvider(row);
}

// ---------------------------------------------------------------- inventory

type InventoryRow = Prisma.InventoryGetPayload<object>;

function toInventory(row: InventoryRow): InventoryRecord {
  return {
    id: row.id,
    providerId: row.providerId,
    gpu: {
      vendor: row.gpuVendor,
      model: row.gpuModel,
      memoryGiB: row.gpuMemoryGiB,
      interface: row.gpuInterface,
      count: row.gpuCount,
    },
    cpuMillicores: row.cpuMillicores,
    memoryBytes: row.memoryBytes,
    storageBytes: row.storageBytes,
    allocated: {
      gpu: row.gpuAllocated,
      cpuMillicores: row.cpuMillicoresAllocated,
      memoryBytes: row.memoryBytesAllocated,
      storageBytes: row.storageBytesAllocated,
    },
    createdAt: row.createdAt,
  };
}

export async function insertInventory(
  db: Db,
  providerId: string,
  item: Omit<InventoryItem, "id" | "allocated">,
): Promise<InventoryRecord> {
  const row = await db.inventory.create({
    data: {
      providerId,
      gpuVendor: item.gpu.vendor,
      gpuModel: item.gpu.model,
      gpuMemoryGiB: item.gpu.memoryGiB,
      gpuInterface: item.gpu.interface,
      gpuCount: item.gpu.count,
      cpuMillicores: item.cpuMillicores,
      memoryBytes: item.memoryBytes,
      storageBytes: item.storageBytes,
    },
  });
  return toInventory(row);
}

export async function listInventory(db: Db, providerId: string): Promise<InventoryRecord[]> {
  const rows = await db.$queryRaw<InventoryRow[]>`
    SELECT * FROM inventory WHERE "providerId" = ${providerId} ORDER BY id`;
  return rows.map(toInventory);
}

export async function listAllInventory(db: Db): Promise<InventoryRecord[]> {
  const rows = await db.inventory.findMany({
    where: { provider: { account: { status: "active" } } },
    orderBy: { id: "asc" },
  });
  return rows.map(toInventory);
}

/** Locks the provider's inventory rows (in id order, so lockers never deadlock) and returns them. */
export async function lockInventory(db: Db, providerId: string): Promise<InventoryRecord[]> {
  await db.$queryRaw`SELECT id FROM inventory WHERE "providerId" = ${providerId} ORDER BY id FOR UPDATE`;
  return listInventory(db, providerId);
}

export async function deleteInventoryRow(db: Db, id: string): Promise<void> {
  await db.inventory.delete({ where: { id } });
}

/** Adds (sign 1) or releases (sign -1) allocations; callers hold the inventory locks. */
export async function shiftAllocations(db: Db, allocations: Allocation[], sign: 1 | -1): Promise<void> {
  for (const allocation of allocations) {
    await db.inventory.update({
      where: { id: allocation.inventoryId },
      data: {
        gpuAllocated: { increment: sign * allocation.gpu },
        cpuMillicoresAllocated: { increment: sign * allocation.cpuMillicores },
        memoryBytesAllocated: { increment: BigInt(sign) * allocation.memoryBytes },
        storageBytesAllocated: { increment: BigInt(sign) * allocation.storageBytes },
      },
    });
  }
}

// ---------------------------------------------------------------- orders

type OrderRow = Prisma.OrderGetPayload<object>;

function toOrder(row: OrderRow): OrderRecord {
  return {
    id: row.id,
    tenantId: row.tenantId,
    resources: {
      gpu: {
        units: row.gpuUnits,
        vendor: row.gpuVendor,
        model: row.gpuModel,
        memoryGiB: row.gpuMemoryGiB,
        choices: decodeGpuChoices(row.gpuChoices),
      },
      cpuMillicores: row.cpuMillicores,
      memoryBytes: BigInt(row.memoryBytes),
      storageBytes: BigInt(row.storageBytes),
    },
    count: row.count,
    additionalUnits: decodeAdditionalUnits(row.additionalUnits),
    region: row.region,
    attributes: toAttributes(row.attributes),
    signedBy: decodeSignedBy(row.signedBy),
    maxPricePerHour: row.maxPricePerHour,
    state: row.state,
    expiresAt: row.expiresAt,
    createdAt: row.createdAt,
    closedAt: row.closedAt,
    deploymentId: row.deploymentId,
    groupName: row.groupName,
  };
}

// JSON columns hold what the SQL columns cannot: lists of shapes. Byte sizes are decimal strings there.

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function decodeGpuChoices(value: unknown): GpuChoice[] {
  if (!Array.isArray(value)) return [];
  return value.map((entry) => {
    const choice = asRecord(entry);
    return {
      model: String(choice.model),
      memoryGiB: typeof choice.memoryGiB === "number" ? choice.memoryGiB : null,
      interface: typeof choice.interface === "string" ? choice.interface : null,
    };
  });
}

function encodeUnit(unit: ResourceUnit): Prisma.InputJsonObject {
  return {
    gpu: {
      units: unit.gpu.units,
      vendor: unit.gpu.vendor,
      model: unit.gpu.model,
      memoryGiB: unit.gpu.memoryGiB,
      choices: unit.gpu.choices.map((choice) => ({ ...choice })),
    },
    cpuMillicores: unit.cpuMillicores,
    memoryBytes: unit.memoryBytes.toString(),
    storageBytes: unit.storageBytes.toString(),
  };
}

function decodeUnit(value: unknown): ResourceUnit {
  const unit = asRecord(value);
  const gpu = asRecord(unit.gpu);
  return {
    gpu: {
      units: Number(gpu.units),
      vendor: String(gpu.vendor),
      model: typeof gpu.model === "string" ? gpu.model : null,
      memoryGiB: typeof gpu.memoryGiB === "number" ? gpu.memoryGiB : null,
      choices: decodeGpuChoices(gpu.choices),
    },
    cpuMillicores: Number(unit.cpuMillicores),
    memoryBytes: BigInt(String(unit.memoryBytes)),
    storageBytes: BigInt(String(unit.storageBytes)),
  };
}

function decodeAdditionalUnits(value: unknown): AdditionalUnit[] {
  if (!Array.isArray(value)) return [];
  return value.map((entry) => {
    const record = asRecord(entry);
    return { resources: decodeUnit(record.resources), count: Number(record.count) };
  });
}

function decodeSignedBy(value: unknown): SignedBy {
  const record = asRecord(value);
  const strings = (list: unknown) => (Array.isArray(list) ? list.map(String) : []);
  return { allOf: strings(record.allOf), anyOf: strings(record.anyOf) };
}

export async function insertOrder(
  db: Db,
  data: Omit<OrderRecord, "id" | "state" | "createdAt" | "closedAt">,
): Promise<OrderRecord> {
  const row = await db.order.create({
    data: {
      tenantId: data.tenantId,
      gpuUnits: data.resources.gpu.units,
      gpuVendor: data.resources.gpu.vendor,
      gpuModel: data.resources.gpu.model,
      gpuMemoryGiB: data.resources.gpu.memoryGiB,
      cpuMillicores: data.resources.cpuMillicores,
      memoryBytes: data.resources.memoryBytes,
      storageBytes: data.resources.storageBytes,
      gpuChoices: data.resources.gpu.choices.map((choice) => ({ ...choice })),
      count: data.count,
      additionalUnits: data.additionalUnits.map((unit) => ({
        resources: encodeUnit(unit.resources),
        count: unit.count,
      })),
      region: data.region,
      attributes: data.attributes,
      signedBy: { allOf: data.signedBy.allOf, anyOf: data.signedBy.anyOf },
      maxPricePerHour: data.maxPricePerHour,
      expiresAt: data.expiresAt,
      deploymentId: data.deploymentId,
      groupName: data.groupName,
    },
  });
  return toOrder(row);
}

export async function findOrder(db: Db, id: string): Promise<OrderRecord | null> {
  const row = await db.order.findUnique({ where: { id } });
  return row ? toOrder(row) : null;
}

/**
 * Takes the order's row lock. Every change to an order, its bids or its lease takes this
 * lock first, which is what makes racing accepts and closes give one lease or none.
 */
export async function lockOrder(db: Db, id: string): Promise<OrderRecord | null> {
  const rows = await db.$queryRaw<OrderRow[]>`SELECT * FROM "order" WHERE id = ${id} FOR UPDATE`;
  return rows[0] ? toOrder(rows[0]) : null;
}

export async function setOrderState(db: Db, id: string, state: OrderState, now: Date): Promise<void> {
  await db.order.update({ where: { id }, data: { state, closedAt: state === "closed" ? now : null } });
}

export interface OrderFilter {
  tenantId?: string;
  state?: OrderState;
  /** Filter `state` as read at this time: open-but-expired records count as closed. */
  effectiveAt?: Date;
  ids?: string[];
  deploymentIds?: string[];
  take: number;
  cursor?: string;
}

/**
 * The where-clause for a state as readers see it (auction.effectiveOrderState and
 * effectiveBidState): a stored-open record past its expiry reads as closed.
 */
function effectiveStateWhere<S extends string>(state: S | undefined, at: Date | undefined) {
  if (!state || !at) return { state };
  if (state === "open") return { state, expiresAt: { gt: at } };
  if (state === "closed") return { OR: [{ state }, { state: "open", expiresAt: { lte: at } }] };
  return { state };
}

export async function listOrders(db: Db, filter: OrderFilter): Promise<OrderRecord[]> {
  const rows = await db.order.findMany({
    where: {
      tenantId: filter.tenantId,
      ...(effectiveStateWhere(filter.state, filter.effectiveAt) as Prisma.OrderWhereInput),
      id: filter.ids ? { in: filter.ids } : undefined,
      deploymentId: filter.deploymentIds ? { in: filter.deploymentIds } : undefined,
    },
    orderBy: { id: "desc" },
    take: filter.take,
    ...(filter.cursor ? { cursor: { id: filter.cursor }, skip: 1 } : {}),
  });
  return rows.map(toOrder);
}

export async function listOpenOrdersNotExpired(db: Db, now: Date, take: number): Promise<OrderRecord[]> {
  const rows = await db.order.findMany({
    where: { state: "open", expiresAt: { gt: now } },
    orderBy: { id: "desc" },
    take,
  });
  return rows.map(toOrder);
}

/** Closes expired open orders, taking their row locks in id order and skipping any held by a change in flight. */
export async function expireOrders(db: Db, now: Date): Promise<string[]> {
  const rows = await db.$queryRaw<{ id: string }[]>`
    UPDATE "order" SET state = 'closed', "closedAt" = ${now}
    WHERE id IN (
      SELECT id FROM "order" WHERE state = 'open' AND "expiresAt" <= ${now}
      ORDER BY id FOR UPDATE SKIP LOCKED)
    RETURNING id`;
  return rows.map((row) => row.id);
}

// ---------------------------------------------------------------- bids

const bidInclude = { provider: { select: { name: true, region: true, accountId: true } } } as const;
type BidRow = Prisma.BidGetPayload<{ include: typeof bidInclude }>;

function toBid(row: BidRow): BidRecord {
  return {
    id: row.id,
    orderId: row.orderId,
    providerId: row.providerId,
    provider: row.provider,
    pricePerHour: row.pricePerHour,
    state: row.state,
    expiresAt: row.expiresAt,
    createdAt: row.createdAt,
    closedAt: row.closedAt,
  };
}

export async function insertBid(
  db: Db,
  provider: ProviderRecord,
  data: { orderId: string; pricePerHour: bigint; expiresAt: Date },
): Promise<BidRecord> {
  const rows = await db.$queryRaw<Omit<BidRow, "provider">[]>`
    INSERT INTO bid (id, "orderId", "providerId", "pricePerHour", "expiresAt")
    VALUES (${newId()}, ${data.orderId}, ${provider.id}, ${data.pricePerHour}, ${data.expiresAt})
    RETURNING *`;
  const row = rows[0]!;
  return toBid({
    ...row,
    provider: { name: provider.name, region: provider.region, accountId: provider.accountId },
  });
}

/** The provider's bids on one order as bare snapshots (no joins), for the bid rules. */
export async function listProviderBidSnapshots(
  db: Db,
  orderId: string,
  providerId: string,
): Promise<BidSnapshot[]> {
  return db.$queryRaw<BidSnapshot[]>`
    SELECT id, "orderId", "providerId", state::text AS state, "pricePerHour", "expiresAt", "createdAt"
    FROM bid WHERE "orderId" = ${orderId} AND "providerId" = ${providerId}`;
}

export async function findBid(db: Db, id: string): Promise<BidRecord | null> {
  const row = await db.bid.findUnique({ where: { id }, include: bidInclude });
  return row ? toBid(row) : null;
}

export async function listBidsForOrder(db: Db, orderId: string, providerId?: string): Promise<BidRecord[]> {
  const rows = await db.bid.findMany({
    where: { orderId, providerId },
    orderBy: [{ pricePerHour: "asc" }, { createdAt: "asc" }],
    include: bidInclude,
  });
  return rows.map(toBid);
}

export interface BidFilter {
  providerId?: string;
  state?: BidState;
  /** Filter `state` as read at this time: open-but-expired bids count as closed. */
  effectiveAt?: Date;
  take: number;
  cursor?: string;
}

export async function listBids(db: Db, filter: BidFilter): Promise<BidRecord[]> {
  const rows = await db.bid.findMany({
    where: {
      providerId: filter.providerId,
      ...(effectiveStateWhere(filter.state, filter.effectiveAt) as Prisma.BidWhereInput),
    },
    orderBy: { id: "desc" },
    take: filter.take,
    ...(filter.cursor ? { cursor: { id: filter.cursor }, skip: 1 } : {}),
    include: bidInclude,
  });
  return rows.map(toBid);
}

export async function setBidStates(db: Db, ids: string[], state: BidState, now: Date): Promise<void> {
  if (ids.length === 0) return;
  await db.bid.updateMany({
    where: { id: { in: ids } },
    data: { state, closedAt: state === "active" ? null : now },
  });
}

/**
 * Closes open bids that expired or whose order closed. Like every change to bids it first
 * takes their orders' locks (in id order, skipping orders another change holds; the next
 * sweep gets those).
 */
export async function expireBids(db: Db, now: Date): Promise<{ id: string; orderId: string }[]> {
  return db.$queryRaw<{ id: string; orderId: string }[]>`
    WITH stale AS (
      SELECT b.id, b."orderId" FROM bid b JOIN "order" o ON o.id = b."orderId"
      WHERE b.state = 'open' AND (b."expiresAt" <= ${now} OR o.state = 'closed')
    ), locked AS (
      SELECT id FROM "order" WHERE id IN (SELECT "orderId" FROM stale)
      ORDER BY id FOR UPDATE SKIP LOCKED
    )
    UPDATE bid SET state = 'closed', "closedAt" = ${now}
    WHERE id IN (SELECT id FROM stale WHERE "orderId" IN (SELECT id FROM locked)) AND state = 'open'
    RETURNING id, "orderId"`;
}

// ---------------------------------------------------------------- leases

const leaseInclude = {
  provider: { select: { name: true, region: true, accountId: true, hostUri: true } },
  order: {
    select: { deploymentId: true, groupName: true, deployment: { select: { manifestVersion: true } } },
  },
  verification: {
    select: {
      status: true,
      services: true,
      lastHeartbeatAt: true,
      verifiedMillis: true,
      firstVerifiedAt: true,
    },
  },
} as const;
type LeaseRow = Prisma.LeaseGetPayload<{ include: typeof leaseInclude }>;

function toLease(row: LeaseRow): LeaseRecord {
  return {
    id: row.id,
    orderId: row.orderId,
    bidId: row.bidId,
    tenantId: row.tenantId,
    providerId: row.providerId,
    provider: row.provider,
    pricePerHour: row.pricePerHour,
    state: row.state,
    closeReason: row.closeReason,
    manifestDeliveredAt: row.manifestDeliveredAt,
    createdAt: row.createdAt,
    closedAt: row.closedAt,
    deploymentId: row.order.deploymentId,
    groupName: row.order.groupName,
    manifestVersion: row.order.deployment?.manifestVersion ?? null,
    workload: row.verification
      ? {
          status: row.verification.status,
          services: storedServices(row.verification.services),
          lastHeartbeatAt: row.verification.lastHeartbeatAt,
          verifiedSeconds: verifiedSecondsOf(row.verification.verifiedMillis),
          firstVerifiedAt: row.verification.firstVerifiedAt,
        }
      : null,
    escrow:
      row.chainLeaseId && row.chainState
        ? {
            chainLeaseId: row.chainLeaseId,
            chainState: row.chainState,
            chainStartedAt: row.chainStartedAt,
            settledSeconds: row.settledSeconds,
            paidAmount: row.paidAmount,
          }
        : null,
  };
}

export async function insertLease(
  db: Db,
  data: {
    orderId: string;
    bidId: string;
    tenantId: string;
    providerId: string;
    pricePerHour: bigint;
    allocations: Allocation[];
  },
): Promise<LeaseRecord> {
  const { allocations, ...lease } = data;
  const row = await db.lease.create({
    data: {
      ...lease,
      allocations: {
        create: allocations.map((allocation) => ({
          inventoryId: allocation.inventoryId,
          gpu: allocation.gpu,
          cpuMillicores: allocation.cpuMillicores,
          memoryBytes: allocation.memoryBytes,
          storageBytes: allocation.storageBytes,
        })),
      },
    },
    include: leaseInclude,
  });
  return toLease(row);
}

export async function findLease(db: Db, id: string): Promise<LeaseRecord | null> {
  const row = await db.lease.findUnique({ where: { id }, include: leaseInclude });
  return row ? toLease(row) : null;
}

export async function findLeaseByOrder(db: Db, orderId: string): Promise<LeaseRecord | null> {
  const row = await db.lease.findUnique({ where: { orderId }, include: leaseInclude });
  return row ? toLease(row) : null;
}

export interface LeaseFilter {
  tenantId?: string;
  providerId?: string;
  state?: LeaseState;
  orderIds?: string[];
  take: number;
  cursor?: string;
}

export async function listLeases(db: Db, filter: LeaseFilter): Promise<LeaseRecord[]> {
  const rows = await db.lease.findMany({
    where: {
      tenantId: filter.tenantId,
      providerId: filter.providerId,
      state: filter.state,
      orderId: filter.orderIds ? { in: filter.orderIds } : undefined,
    },
    orderBy: { id: "desc" },
    take: filter.take,
    ...(filter.cursor ? { cursor: { id: filter.cursor }, skip: 1 } : {}),
    include: leaseInclude,
  });
  return rows.map(toLease);
}

/** Closes the lease and hands back what it held, so the caller can release the inventory. */
export async function closeLeaseRow(
  db: Db,
  id: string,
  reason: LeaseCloseReason,
  now: Date,
): Promise<Allocation[]> {
  await db.lease.update({ where: { id }, data: { state: "closed", closeReason: reason, closedAt: now } });
  const rows = await db.leaseAllocation.findMany({ where: { leaseId: id } });
  await db.leaseAllocation.deleteMany({ where: { leaseId: id } });
  return rows;
}

export async function countInventoryAllocations(db: Db, inventoryId: string): Promise<number> {
  return db.leaseAllocation.count({ where: { inventoryId } });
}
