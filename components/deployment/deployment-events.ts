function field(data: unknown, name: string): unknown {
  return typeof data === "object" && data !== null ? (data as Record<string, unknown>)[name] : undefined;
}

/**
 * Whether a market event (its type and wire payload) is about this deployment, one of its
 * orders, or their bids and leases: the events after which the deployment's page is stale.
 */
export function concernsDeployment(
  type: string,
  data: unknown,
  deploymentId: string,
  orderIds: ReadonlySet<string>,
): boolean {
  if (type.startsWith("deployment.")) return field(data, "id") === deploymentId;
  if (type.startsWith("order.")) {
    return field(data, "deploymentId") === deploymentId || orderIds.has(String(field(data, "id")));
  }
  if (type.startsWith("bid.") || type.startsWith("lease."))
    return orderIds.has(String(field(data, "orderId")));
  return false;
}
