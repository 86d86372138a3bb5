import { formatTokenAmount } from "@/lib/escrow/amounts";
import { env } from "@/lib/env";
import { formatUsd } from "@/lib/money";
import type {
  BidRecord,
  InventoryRecord,
  LeaseRecord,
  OrderRecord,
  ProviderRecord,
} from "./market.repository";
import type { ResourceUnit } from "./types";

/**
 * The JSON shapes of market records, as the REST API and the event streams send them:
 * money as a decimal USD string with 6 decimals, sizes as integers, times as ISO strings.
 */
export function resourcesToWire(unit: ResourceUnit) {
  return {
    gpu: {
      units: unit.gpu.units,
      vendor: unit.gpu.vendor,
      model: unit.gpu.model,
      memoryGiB: unit.gpu.memoryGiB,
      choices: unit.gpu.choices.map((choice) => ({ ...choice })),
    },
    cpuMillicores: unit.cpuMillicores,
    memoryBytes: Number(unit.memoryBytes),
    storageBytes: Number(unit.storageBytes),
  };
}

export function orderToWire(order: OrderRecord) {
  return {
    id: order.id,
    state: order.state,
    tenantId: order.tenantId,
    deploymentId: order.deploymentId,
    groupName: order.groupName,
    resources: resourcesToWire(order.resources),
    count: order.count,
    additionalUnits: order.additionalUnits.map((unit) => ({
      resources: resourcesToWire(unit.resources),
      count: unit.count,
    })),
    region: order.region,
    attributes: order.attributes,
    signedBy: { allOf: [...order.signedBy.allOf], anyOf: [...order.signedBy.anyOf] },
    maxPricePerHour: formatUsd(order.maxPricePerHour),
    expiresAt: order.expiresAt.toISOString(),
    createdAt: order.createdAt.toISOString(),
    closedAt: order.closedAt?.toISOString() ?? null,
  };
}

export function bidToWire(bid: BidRecord) {
  return {
    id: bid.id,
    state: bid.state,
    orderId: bid.orderId,
    providerId: bid.providerId,
    provider: { name: bid.provider.name, region: bid.provider.region },
    pricePerHour: formatUsd(bid.pricePerHour),
    expiresAt: bid.expiresAt.toISOString(),
    createdAt: bid.createdAt.toISOString(),
    closedAt: bid.closedAt?.toISOString() ?? null,
  };
}

export function leaseToWire(lease: LeaseRecord) {
  return {
    id: lease.id,
    state: lease.state,
    orderId: lease.orderId,
    bidId: lease.bidId,
    tenantId: lease.tenantId,
    providerId: lease.providerId,
    provider: { name: lease.provider.name, region: lease.provider.region, hostUri: lease.provider.hostUri },
    pricePerHour: formatUsd(lease.pricePerHour),
    closeReason: lease.closeReason,
    manifestDeliveredAt: lease.manifestDeliveredAt?.toISOString() ?? null,
    deploymentId: lease.deploymentId,
    groupName: lease.groupName,
    manifestVersion: lease.manifestVersion,
    workload: lease.workload
      ? {
          status: lease.workload.status,
          services: lease.workload.services,
          lastHeartbeatAt: lease.workload.lastHeartbeatAt?.toISOString() ?? null,
          verifiedSeconds: lease.workload.verifiedSeconds,
          firstVerifiedAt: lease.workload.firstVerifiedAt?.toISOString() ?? null,
        }
      : null,
    createdAt: lease.createdAt.toISOString(),
    closedAt: lease.closedAt?.toISOString() ?? null,
    escrow: lease.escrow
      ? {
          chainLeaseId: lease.escrow.chainLeaseId,
          state: lease.escrow.chainState,
          startedAt: lease.escrow.chainStartedAt?.toISOString() ?? null,
          settledSeconds: lease.escrow.settledSeconds,
          paid: formatTokenAmount(lease.escrow.paidAmount, env().TOKEN_DECIMALS),
        }
      : null,
  };
}

export function providerToWire(provider: ProviderRecord) {
  return {
    id: provider.id,
    state: provider.status,
    name: provider.name,
    hostUri: provider.hostUri,
    region: provider.region,
    attributes: provider.attributes,
    signingAddress: provider.signingAddress,
    createdAt: provider.createdAt.toISOString(),
  };
}

export function inventoryToWire(item: InventoryRecord) {
  const free = item.gpu.count - item.allocated.gpu;
  return {
    id: item.id,
    state: item.allocated.gpu > 0 || item.allocated.cpuMillicores > 0 ? "allocated" : "free",
    providerId: item.providerId,
    gpu: { ...item.gpu },
    cpuMillicores: item.cpuMillicores,
    memoryBytes: Number(item.memoryBytes),
    storageBytes: Number(item.storageBytes),
    allocated: {
      gpu: item.allocated.gpu,
      cpuMillicores: item.allocated.cpuMillicores,
      memoryBytes: Number(item.allocated.memoryBytes),
      storageBytes: Number(item.allocated.storageBytes),
    },
    freeGpus: free,
    createdAt: item.createdAt.toISOString(),
  };
}

export type OrderWire = ReturnType<typeof orderToWire>;
export type BidWire = ReturnType<typeof bidToWire>;
export type LeaseWire = ReturnType<typeof leaseToWire>;
