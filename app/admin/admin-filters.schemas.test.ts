import { describe, expect, it } from "vitest";
import { parseAdminFilters, stateFilter } from "./admin-filters.schemas";

describe("parseAdminFilters", () => {
  it("reads a linkable filtered view from the query string", () => {
    expect(
      parseAdminFilters({ tab: "accounts", q: " garage ", status: "suspended", role: "provider" }),
    ).toEqual({
      tab: "accounts",
      q: "garage",
      status: "suspended",
      role: "provider",
      state: undefined,
    });
  });

  it("falls back to no filter for unknown or empty values instead of failing the page", () => {
    expect(parseAdminFilters({ tab: "nope", status: "", role: "root", q: "" })).toEqual({
      tab: "accounts",
      status: undefined,
      role: undefined,
      q: undefined,
      state: undefined,
    });
  });

  it("takes the first value of a repeated parameter", () => {
    expect(parseAdminFilters({ tab: ["leases", "bids"] }).tab).toBe("leases");
  });
});

describe("stateFilter", () => {
  it("keeps a state only when it belongs to the tab's records", () => {
    expect(stateFilter(parseAdminFilters({ tab: "bids", state: "lost" }), "bids")).toBe("lost");
    expect(stateFilter(parseAdminFilters({ tab: "orders", state: "lost" }), "orders")).toBeUndefined();
    expect(stateFilter(parseAdminFilters({ tab: "leases", state: "insufficient_funds" }), "leases")).toBe(
      "insufficient_funds",
    );
  });

  it("reads the escrow tab's state as an outbox view", () => {
    expect(stateFilter(parseAdminFilters({ tab: "escrow", state: "failed" }), "escrow")).toBe("failed");
    expect(stateFilter(parseAdminFilters({ tab: "escrow", state: "lost" }), "escrow")).toBeUndefined();
  });
});
