/**
 * Placement of an order's replicas on a provider's inventory. Pure: data in, data out.
 */
import { AppError } from "@/lib/errors";
import type {
  Allocation,
  GpuChoice,
  InventoryItem,
  OrderRequirement,
  ProviderProfile,
  ResourceUnit,
} from "@/lib/market/types";

/** Amounts of each resource: GPU units, CPU millicores, memory bytes, storage bytes. */
export type ResourceAmounts = InventoryItem["allocated"];

export function freeOf(item: InventoryItem): ResourceAmounts {
  return {
    gpu: item.gpu.count - item.allocated.gpu,
    cpuMillicores: item.cpuMillicores - item.allocated.cpuMillicores,
    memoryBytes: item.memoryBytes - item.allocated.memoryBytes,
    storageBytes: item.storageBytes - item.allocated.storageBytes,
  };
}

export function gpuMatches(item: InventoryItem, gpu: ResourceUnit["gpu"]): boolean {
  if (gpu.units === 0) return true;
  if (!sameIgnoringCase(item.gpu.vendor, gpu.vendor)) return false;
  if (gpu.model !== null && !sameIgnoringCase(item.gpu.model, gpu.model)) return false;
  if (gpu.memoryGiB !== null && item.gpu.memoryGiB < gpu.memoryGiB) return false;
  return gpu.choices.length === 0 || gpu.choices.some((choice) => choiceMatches(item, choice));
}

function choiceMatches(item: InventoryItem, choice: GpuChoice): boolean {
  return (
    sameIgnoringCase(item.gpu.model, choice.model) &&
    (choice.memoryGiB === null || item.gpu.memoryGiB >= choice.memoryGiB) &&
    (choice.interface === null || sameIgnoringCase(item.gpu.interface, choice.interface))
  );
}

export function providerQualifies(provider: ProviderProfile, requirement: OrderRequirement): boolean {
  if (provider.status !== "active") return false;
  if (requirement.region !== null && !sameIgnoringCase(provider.region, requirement.region)) {
    return false;
  }
  const { allOf, anyOf } = requirement.signedBy;
  if (!allOf.every((auditor) => provider.auditedBy.includes(auditor))) return false;
  if (anyOf.length > 0 && !anyOf.some((auditor) => provider.auditedBy.includes(auditor))) return false;
  return Object.entries(requirement.attributes).every(
    ([key, value]) => Object.hasOwn(provider.attributes, key) && provider.attributes[key] === value,
  );
}

/**
 * Places `count` replicas, each wholly on one inventory item, or returns null.
 *
 * Strategy: replicas are identical, so how many fit on an item is simply the minimum over
 * resources of floor(free / need); the order fits exactly when those per-item capacities sum
 * to at least `count`. That makes the yes/no answer exact, with no greedy dead ends.
 * Which items to use is best-fit: items with the least free GPU go first (ties by id), each
 * filled as far as it goes, so large GPU machines stay free for orders that need them.
 *
 * An order from an SDL placement group with several resource shapes also needs its
 * `additionalUnits` on the same provider: they are placed one shape after another, most GPUs
 * first, on what the earlier shapes left free. For one shape the answer is exact; for several
 * it is greedy (it may miss a packing that exists, never over-allocates).
 *
 * Returns one Allocation per item used, sorted by inventoryId.
 */
export function planPlacement(
  requirement: OrderRequirement,
  provider: ProviderProfile,
  inventory: readonly InventoryItem[],
): Allocation[] | null {
  const shapes = [
    { resources: requirement.resources, count: requirement.count },
    ...requirement.additionalUnits,
  ];
  if (
    !shapes.every(
      ({ resources, count }) => Number.isSafeInteger(count) && count >= 1 && isWellFormedUnit(resources),
    )
  ) {
    return null;
  }
  if (!providerQualifies(provider, requirement)) return null;

  const ordered = [
    shapes[0]!,
    ...shapes.slice(1).sort((a, b) => b.resources.gpu.units - a.resources.gpu.units),
  ];
  let remainingInventory: readonly InventoryItem[] = inventory;
  const byItem = new Map<string, Allocation>();
  for (const shape of ordered) {
    const placed = placeShape(shape.resources, shape.count, remainingInventory);
    if (placed === null) return null;
    remainingInventory = applyAllocations(remainingInventory, placed);
    for (const allocation of placed) {
      const sum = byItem.get(allocation.inventoryId);
      byItem.set(allocation.inventoryId, sum ? addAllocations(sum, allocation) : allocation);
    }
  }
  return [...byItem.values()].sort((a, b) => compareIds(a.inventoryId, b.inventoryId));
}

function placeShape(
  unit: ResourceUnit,
  count: number,
  inventory: readonly InventoryItem[],
): Allocation[] | null {
  const candidates = inventory
    .filter((item) => gpuMatches(item, unit.gpu))
    .map((item) => ({ item, free: freeOf(item) }))
    .sort((a, b) => a.free.gpu - b.free.gpu || compareIds(a.item.id, b.item.id));

  const allocations: Allocation[] = [];
  let remaining = count;
  for (const { item, free } of candidates) {
    if (remaining === 0) break;
    const replicas = replicasThatFit(free, unit, remaining);
    if (replicas > 0) {
      allocations.push(scaledAllocation(item.id, unit, replicas));
      remaining -= replicas;
    }
  }
  return remaining > 0 ? null : allocations;
}

function addAllocations(a: Allocation, b: Allocation): Allocation {
  return {
    inventoryId: a.inventoryId,
    gpu: a.gpu + b.gpu,
    cpuMillicores: a.cpuMillicores + b.cpuMillicores,
    memoryBytes: a.memoryBytes + b.memoryBytes,
    storageBytes: a.storageBytes + b.storageBytes,
  };
}

export function canServe(
  requirement: OrderRequirement,
  provider: ProviderProfile,
  inventory: readonly InventoryItem[],
): boolean {
  return planPlacement(requirement, provider, inventory) !== null;
}

/** Returns the inventory with the allocations taken; throws INVALID_STATE rather than over-allocate. */
export function applyAllocations(
  inventory: readonly InventoryItem[],
  allocations: readonly Allocation[],
): InventoryItem[] {
  return adjustAllocated(inventory, allocations, 1);
}

/** Returns the inventory with the allocations given back; throws INVALID_STATE below zero. */
export function releaseAllocations(
  inventory: readonly InventoryItem[],
  allocations: readonly Allocation[],
): InventoryItem[] {
  return adjustAllocated(inventory, allocations, -1);
}

function adjustAllocated(
  inventory: readonly InventoryItem[],
  allocations: readonly Allocation[],
  direction: 1 | -1,
): InventoryItem[] {
  const byId = new Map(inventory.map((item) => [item.id, item]));
  for (const allocation of allocations) {
    const item = byId.get(allocation.inventoryId);
    if (!item) {
      throw new AppError("INVALID_STATE", `inventory item ${allocation.inventoryId} does not exist`);
    }
    if (!isNonNegative(allocation)) {
      throw new AppError("INVALID_STATE", `allocation on ${allocation.inventoryId} has a negative amount`);
    }
    const allocated: ResourceAmounts = {
      gpu: item.allocated.gpu + direction * allocation.gpu,
      cpuMillicores: item.allocated.cpuMillicores + direction * allocation.cpuMillicores,
      memoryBytes: item.allocated.memoryBytes + BigInt(direction) * allocation.memoryBytes,
      storageBytes: item.allocated.storageBytes + BigInt(direction) * allocation.storageBytes,
    };
    const next = { ...item, allocated };
    if (direction === 1 && !isNonNegative(freeOf(next))) {
      throw new AppError("INVALID_STATE", `allocation exceeds the capacity of inventory item ${item.id}`);
    }
    if (direction === -1 && !isNonNegative(allocated)) {
      throw new AppError("INVALID_STATE", `release would take inventory item ${item.id} below zero`);
    }
    byId.set(item.id, next);
  }
  return inventory.map((item) => byId.get(item.id) ?? item);
}

/** How many replicas fit in `free`, capped at `limit`; a resource the unit does not need never limits. */
function replicasThatFit(free: ResourceAmounts, unit: ResourceUnit, limit: number): number {
  const fitByResource = [
    unit.gpu.units > 0 ? Math.floor(free.gpu / unit.gpu.units) : limit,
    unit.cpuMillicores > 0 ? Math.floor(free.cpuMillicores / unit.cpuMillicores) : limit,
    replicasByBytes(free.memoryBytes, unit.memoryBytes, limit),
    replicasByBytes(free.storageBytes, unit.storageBytes, limit),
  ];
  return Math.max(0, Math.min(limit, ...fitByResource));
}

/** floor(free / need), capped at `limit` before leaving bigint so a huge quotient stays exact. */
function replicasByBytes(free: bigint, need: bigint, limit: number): number {
  if (need === 0n) return limit;
  const quotient = free / need;
  return quotient > BigInt(limit) ? limit : Number(quotient);
}

function scaledAllocation(inventoryId: string, unit: ResourceUnit, replicas: number): Allocation {
  return {
    inventoryId,
    gpu: unit.gpu.units * replicas,
    cpuMillicores: unit.cpuMillicores * replicas,
    memoryBytes: unit.memoryBytes * BigInt(replicas),
    storageBytes: unit.storageBytes * BigInt(replicas),
  };
}

/** A negative or fractional need would make a plan free capacity instead of using it. */
function isWellFormedUnit(unit: ResourceUnit): boolean {
  return (
    Number.isSafeInteger(unit.gpu.units) &&
    Number.isSafeInteger(unit.cpuMillicores) &&
    isNonNegative({
      gpu: unit.gpu.units,
      cpuMillicores: unit.cpuMillicores,
      memoryBytes: unit.memoryBytes,
      storageBytes: unit.storageBytes,
    })
  );
}

function isNonNegative(amounts: ResourceAmounts): boolean {
  return (
    amounts.gpu >= 0 && amounts.cpuMillicores >= 0 && amounts.memoryBytes >= 0n && amounts.storageBytes >= 0n
  );
}

function sameIgnoringCase(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** Plain code-unit order, so sorting does not depend on the runtime's locale. */
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
