import type { InventoryItem } from "@/lib/market/types";
import { formatUsd } from "@/lib/money";
import type { AgentPricing } from "./config";
import { orderShapesOf, type AgentOrder } from "./market-wire";
import { runPriceCommand } from "./price-command";
import { finishPrice, priceFromTable, type OrderToPrice, type PriceDecision } from "./pricing";

/**
 * The bid price of an order: from the external command when one is configured (then only the
 * floor and the order's max price apply; the command is the whole strategy), otherwise from the
 * table. A failing command means no bid, with the reason.
 */
export async function priceOrder(
  order: AgentOrder,
  pricing: AgentPricing,
  inventory: readonly InventoryItem[],
): Promise<PriceDecision> {
  const toPrice = orderToPriceOf(order);
  if (!pricing.command) return priceFromTable(toPrice, pricing, inventory);
  try {
    const price = await runPriceCommand(pricing.command, orderJsonForCommand(order), {
      cwd: pricing.commandCwd,
    });
    return finishPrice(price, toPrice, pricing, { gpuModels: [], applyMargins: false });
  } catch (error) {
    return { bid: false, reason: `price command ${error instanceof Error ? error.message : String(error)}` };
  }
}

export function orderToPriceOf(order: AgentOrder): OrderToPrice {
  return {
    shapes: orderShapesOf(order),
    region: order.region,
    attributes: order.attributes,
    maxPricePerHour: order.maxPricePerHour,
  };
}

/** The order as the API sent it (its max price back in the wire's decimal form). */
function orderJsonForCommand(order: AgentOrder): string {
  return JSON.stringify({ ...order, maxPricePerHour: formatUsd(order.maxPricePerHour) });
}
