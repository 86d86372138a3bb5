import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "./dashboard-path";

describe("safeCallbackPath", () => {
  it("keeps paths on this site", () => {
    expect(safeCallbackPath("/tenant/orders/abc?tab=bids")).toBe("/tenant/orders/abc?tab=bids");
    expect(safeCallbackPath(["/provider", "/admin"])).toBe("/provider");
  });

  it.each([
    ["https://evil.example/"],
    ["//evil.example"],
    ["/\\evil.example"],
    ["/\t/evil.example"],
    ["/\n/evil.example"],
    ["javascript:alert(1)"],
    ["evil.example"],
  ])("refuses %j, which would leave the site", (value) => {
    expect(safeCallbackPath(value)).toBeNull();
  });

  it("refuses to send a signed-in visitor back to sign-in or sign-up", () => {
    expect(safeCallbackPath("/sign-in")).toBeNull();
    expect(safeCallbackPath("/sign-up?role=provider")).toBeNull();
  });

  it("refuses nothing given", () => {
    expect(safeCallbackPath(undefined)).toBeNull();
    expect(safeCallbackPath("")).toBeNull();
  });
});
