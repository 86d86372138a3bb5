import type { OrderRecord } from "./market.repository";
import type { OrderRequirement } from "./types";

export function requirementOf(order: OrderRecord): OrderRequirement {
  return {
    resources: order.resources,
    count: order.count,
    additionalUnits: order.additionalUnits,
    region: order.region,
    attributes: order.attributes,
    signedBy: order.signedBy,
  };
}
