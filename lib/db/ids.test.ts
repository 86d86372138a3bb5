import { describe, expect, it } from "vitest";
import { newId } from "./ids";

describe("newId", () => {
  it("is a version 7, variant 1 UUID", () => {
    expect(newId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("sorts by creation time", () => {
    const earlier = newId(1_700_000_000_000);
    const later = newId(1_700_000_000_001);
    expect(earlier < later).toBe(true);
    expect(newId(0) < newId(2 ** 47)).toBe(true);
  });

  it("does not repeat within one millisecond", () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newId(1_700_000_000_000)));
    expect(ids.size).toBe(1000);
  });
});
