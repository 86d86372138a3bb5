import { describe, expect, it } from "vitest";
import type { BidRecord, LeaseRecord, OrderRecord } from "@/lib/market/market.repository";
import type { DeploymentRecord } from "./deployment.repository";
import { buildTimeline } from "./timeline";

const t0 = new Date("2026-11-26T10:00:00Z");
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

function deployment(overrides: Partial<DeploymentRecord> = {}): DeploymentRecord {
  return {
    id: "dep-1",
    tenantId: "tenant-1",
    name: "vllm",
    manifestVersion: "3193e35287d19f40f5990f21ed76b016087cd27d18e30d16ebf03628a2e39411",
    state: "active",
    autoAcceptSeconds: null,
    createdAt: t0,
    closedAt: null,
    ...overrides,
  };
}

function order(id: string, overrides: Partial<OrderRecord> = {}): OrderRecord {
  return {
    id,
    tenantId: "tenant-1",
    resources: {
      gpu: { units: 1, vendor: "nvidia", model: null, memoryGiB: null, choices: [] },
      cpuMillicores: 8_000,
      memoryBytes: 1n,
      storageBytes: 1n,
    },
    count: 1,
    additionalUnits: [],
    region: null,
    attributes: {},
    signedBy: { allOf: [], anyOf: [] },
    maxPricePerHour: 3_000_000n,
    state: "open",
    expiresAt: at(86_400),
    createdAt: t0,
    closedAt: null,
    deploymentId: "dep-1",
    groupName: id,
    ...overrides,
  };
}

function bid(id: string, orderId: string, seconds: number, name = "Hopper"): BidRecord {
  return {
    id,
    orderId,
    providerId: "prov-1",
    provider: { name, region: "us-west", accountId: "acct-p" },
    pricePerHour: 2_000_000n,
    state: "open",
    expiresAt: at(600),
    createdAt: at(seconds),
    closedAt: null,
  };
}

function lease(orderId: string, seconds: number, overrides: Partial<LeaseRecord> = {}): LeaseRecord {
  return {
    id: `lease-${orderId}`,
    orderId,
    bidId: "b1",
    tenantId: "tenant-1",
    providerId: "prov-1",
    provider: { name: "Hopper", region: "us-west", accountId: "acct-p", hostUri: "https://h" },
    pricePerHour: 2_000_000n,
    state: "active",
    closeReason: null,
    manifestDeliveredAt: null,
    deploymentId: "dep-1",
    groupName: "dcloud",
    manifestVersion: "ab".repeat(32),
    workload: null,
    createdAt: at(seconds),
    closedAt: null,
    escrow: null,
    ...overrides,
  };
}

const summary = (steps: ReturnType<typeof buildTimeline>) =>
  steps.map((step) => [step.kind, step.at === null ? null : (step.at.getTime() - t0.getTime()) / 1000]);

describe("buildTimeline", () => {
  it("shows a fresh deployment as posted, with bids and a lease still to come", () => {
    const steps = buildTimeline({ deployment: deployment(), orders: [order("dc")], bids: [], leases: [] });
    expect(summary(steps)).toEqual([
      ["posted", 0],
      ["bids", null],
      ["lease", null],
    ]);
    expect(steps[0]!.detail).toContain("1 order opened");
  });

  it("orders what happened by time and counts the bids, naming the first bidder", () => {
    const steps = buildTimeline({
      deployment: deployment(),
      orders: [order("dc", { state: "active" })],
      bids: [bid("b2", "dc", 3, "Ampere"), bid("b1", "dc", 1, "Hopper")],
      leases: [lease("dc", 12, { manifestDeliveredAt: at(14) })],
    });
    expect(summary(steps)).toEqual([
      ["posted", 0],
      ["bids", 1],
      ["lease", 12],
      ["manifest", 14],
      ["running", null],
    ]);
    expect(steps[1]!.detail).toBe("2 bids received; first from Hopper");
  });

  it("names the placement group on each step when there are several orders", () => {
    const steps = buildTimeline({
      deployment: deployment(),
      orders: [order("dc", { state: "active" }), order("edge")],
      bids: [bid("b1", "dc", 2)],
      leases: [lease("dc", 5)],
    });
    expect(steps.filter((step) => step.at !== null).map((step) => step.title)).toEqual([
      "Posted",
      "First bid (dc)",
      "Lease (dc)",
    ]);
    expect(steps.filter((step) => step.at === null).map((step) => step.title)).toEqual([
      "Manifest delivery (dc)",
      "Running (dc)",
      "Waiting for bids (edge)",
      "Lease (edge)",
    ]);
  });

  it("shows a lease that closed while the deployment goes on, saying who closed it", () => {
    const steps = buildTimeline({
      deployment: deployment(),
      orders: [order("dc", { state: "closed" })],
      bids: [bid("b1", "dc", 2)],
      leases: [lease("dc", 5, { state: "closed", closedAt: at(30), closeReason: "provider" })],
    });
    expect(summary(steps)).toEqual([
      ["posted", 0],
      ["bids", 2],
      ["lease", 5],
      ["closed", 30],
    ]);
    expect(steps[3]).toMatchObject({ title: "Lease closed", detail: "Closed by the provider" });
  });

  it("ends a closed deployment with its close and no steps to come", () => {
    const steps = buildTimeline({
      deployment: deployment({ state: "closed", closedAt: at(60) }),
      orders: [order("dc", { state: "closed" })],
      bids: [bid("b1", "dc", 2)],
      leases: [lease("dc", 5, { state: "closed", closedAt: at(60) })],
    });
    expect(summary(steps)).toEqual([
      ["posted", 0],
      ["bids", 2],
      ["lease", 5],
      ["closed", 60],
    ]);
  });
});
