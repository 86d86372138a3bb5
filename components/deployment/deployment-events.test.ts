import { describe, expect, it } from "vitest";
import { concernsDeployment } from "./deployment-events";

const orders = new Set(["order-1", "order-2"]);

describe("concernsDeployment", () => {
  it("matches the deployment's own events, its orders, and bids and leases on its orders", () => {
    expect(concernsDeployment("deployment.updated", { id: "dep-1" }, "dep-1", orders)).toBe(true);
    expect(
      concernsDeployment("order.updated", { id: "order-2", deploymentId: "dep-1" }, "dep-1", orders),
    ).toBe(true);
    expect(concernsDeployment("bid.created", { id: "bid-9", orderId: "order-1" }, "dep-1", orders)).toBe(
      true,
    );
    expect(concernsDeployment("lease.updated", { id: "lease-3", orderId: "order-2" }, "dep-1", orders)).toBe(
      true,
    );
  });

  it("ignores other deployments, other orders' bids and leases, and payloads that are not objects", () => {
    expect(concernsDeployment("deployment.created", { id: "dep-2" }, "dep-1", orders)).toBe(false);
    expect(concernsDeployment("order.created", { id: "order-7", deploymentId: null }, "dep-1", orders)).toBe(
      false,
    );
    expect(concernsDeployment("bid.created", { id: "bid-1", orderId: "order-7" }, "dep-1", orders)).toBe(
      false,
    );
    expect(concernsDeployment("lease.created", null, "dep-1", orders)).toBe(false);
    expect(concernsDeployment("bid.updated", "order-1", "dep-1", orders)).toBe(false);
  });
});
