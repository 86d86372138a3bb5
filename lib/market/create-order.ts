import { requireRole, type Principal } from "@/lib/auth/principal";
import { lockAccountIfActive } from "@/lib/accounts/account.repository";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { marketTransaction } from "./market-transaction";
import { insertOrder, type OrderRecord } from "./market.repository";
import type { CreateOrderInput } from "./market.schemas";
import { orderToWire } from "./wire-format";

export async function createOrder(
  principal: Principal,
  input: CreateOrderInput,
  now = new Date(),
): Promise<OrderRecord> {
  requireRole(principal, "tenant");
  return marketTransaction(async (tx, emit) => {
    if (!(await lockAccountIfActive(tx, principal.accountId))) {
      throw new AppError("FORBIDDEN", "this account is suspended");
    }
    const order = await insertOrder(tx, {
      tenantId: principal.accountId,
      resources: {
        gpu: {
          units: input.resources.gpu.units,
          vendor: input.resources.gpu.vendor,
          model: input.resources.gpu.model ?? null,
          memoryGiB: input.resources.gpu.memoryGiB ?? null,
          choices: [],
        },
        cpuMillicores: input.resources.cpuMillicores,
        memoryBytes: BigInt(input.resources.memoryBytes),
        storageBytes: BigInt(input.resources.storageBytes),
      },
      count: input.count,
      additionalUnits: [],
      region: input.region ?? null,
      attributes: input.attributes,
      signedBy: { allOf: [], anyOf: [] },
      deploymentId: null,
      groupName: null,
      maxPricePerHour: input.maxPricePerHour,
      expiresAt: new Date(now.getTime() + (input.expiresInSeconds ?? env().ORDER_TTL_SECONDS) * 1000),
    });
    await emit({
      type: "order.created",
      entityId: order.id,
      audience: [order.tenantId],
      forProviders: true,
      payload: orderToWire(order),
    });
    return order;
  });
}
