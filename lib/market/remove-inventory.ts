import type { Principal } from "@/lib/auth/principal";
import { transaction } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { countInventoryAllocations, deleteInventoryRow, lockInventory } from "./market.repository";
import { requireProvider } from "./provider-context";

/** Removes an inventory item that no lease holds; the lock keeps an accept from taking it meanwhile. */
export async function removeInventory(principal: Principal, inventoryId: string): Promise<void> {
  await transaction(async (tx) => {
    const provider = await requireProvider(tx, principal);
    const item = (await lockInventory(tx, provider.id)).find((entry) => entry.id === inventoryId);
    if (!item) throw new AppError("NOT_FOUND", "no inventory item with this id");
    if (item.allocated.gpu > 0 || (await countInventoryAllocations(tx, item.id)) > 0) {
      throw new AppError("CONFLICT", "this inventory is allocated to a lease; close the lease first");
    }
    await deleteInventoryRow(tx, item.id);
  });
}
