import { describe, expect, it } from "vitest";
import { createRateLimiter } from "./rate-limit";

describe("rate limiter", () => {
  it("allows the limit within a window and then asks the caller to wait", () => {
    const limiter = createRateLimiter(3, 60_000);
    const start = 1_000_000;
    expect([0, 1, 2].map((i) => limiter.hit("ip", start + i))).toEqual([0, 0, 0]);
    expect(limiter.hit("ip", start + 10_000)).toBe(50);
  });

  it("counts each key on its own", () => {
    const limiter = createRateLimiter(1, 60_000);
    expect(limiter.hit("a", 0)).toBe(0);
    expect(limiter.hit("b", 0)).toBe(0);
    expect(limiter.hit("a", 1)).toBeGreaterThan(0);
  });

  it("opens again when the window has passed", () => {
    const limiter = createRateLimiter(1, 60_000);
    limiter.hit("ip", 0);
    expect(limiter.hit("ip", 30_000)).toBeGreaterThan(0);
    expect(limiter.hit("ip", 60_000)).toBe(0);
  });
});
