import type { Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db";
import { insertInventory, type InventoryRecord } from "./market.repository";
import type { AddInventoryInput } from "./market.schemas";
import { requireProvider } from "./provider-context";

export async function addInventory(principal: Principal, input: AddInventoryInput): Promise<InventoryRecord> {
  const provider = await requireProvider(db(), principal);
  return insertInventory(db(), provider.id, {
    gpu: input.gpu,
    cpuMillicores: input.cpuMillicores,
    memoryBytes: BigInt(input.memoryBytes),
    storageBytes: BigInt(input.storageBytes),
  });
}
