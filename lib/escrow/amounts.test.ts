import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isAppError } from "@/lib/errors";
import {
  chainIdOf,
  costOf,
  formatTokenAmount,
  parseTokenAmount,
  ratePerSecond,
  runwaySeconds,
  tokenUnitsFromMicroUsd,
} from "./amounts";

function fieldErrorOf(run: () => unknown): { path: string; message: string } | null {
  try {
    run();
    return null;
  } catch (error) {
    if (!isAppError(error)) throw error;
    return error.fields?.[0] ?? null;
  }
}

describe("parseTokenAmount", () => {
  it("reads decimal strings into base units", () => {
    expect(parseTokenAmount("25", 6, "amount")).toBe(25_000_000n);
    expect(parseTokenAmount("0.000001", 6, "amount")).toBe(1n);
    expect(parseTokenAmount("100.5", 6, "amount")).toBe(100_500_000n);
    expect(parseTokenAmount("7", 0, "amount")).toBe(7n);
  });

  it.each([
    ["-5", "must be greater than zero"],
    ["0", "must be greater than zero"],
    ["0.000000", "must be greater than zero"],
    ["1.1234567", "at most 6 decimal places"],
    ["+1", "decimal string"],
    ["01", "decimal string"],
    ["1.", "decimal string"],
    [".5", "decimal string"],
    ["1e3", "decimal string"],
    ["", "decimal string"],
    ["1000000000000", "too large"],
  ])("refuses %j naming the field", (value, message) => {
    const error = fieldErrorOf(() => parseTokenAmount(value, 6, "amount"));
    expect(error?.path).toBe("amount");
    expect(error?.message).toContain(message);
  });

  it("refuses what is not a string", () => {
    for (const value of [5, null, undefined, {}, 1n]) {
      expect(fieldErrorOf(() => parseTokenAmount(value, 6, "amount"))?.path).toBe("amount");
    }
  });

  it("round-trips with formatTokenAmount", () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 0, max: 18 })
          .chain((decimals) =>
            fc.tuple(fc.constant(decimals), fc.bigInt({ min: 1n, max: 10n ** BigInt(12 + decimals) - 1n })),
          ),
        ([decimals, units]) => {
          expect(parseTokenAmount(formatTokenAmount(units, decimals), decimals, "amount")).toBe(units);
        },
      ),
    );
  });
});

describe("rates and runway", () => {
  it("never charges more than the hourly price for an hour, and at most one base unit less", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 12n }), (perHour) => {
        const paid = costOf(ratePerSecond(perHour), 3600n);
        expect(paid <= perHour).toBe(true);
        expect(perHour - paid <= 1n).toBe(true);
      }),
    );
  });

  it("is cumulative: paying in pieces never exceeds paying at once", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 9n }),
        fc.array(fc.integer({ min: 1, max: 10_000 }), { maxLength: 20 }),
        (perHour, steps) => {
          const rate = ratePerSecond(perHour);
          let settled = 0n;
          let paid = 0n;
          for (const step of steps) {
            const next = settled + BigInt(step);
            paid += costOf(rate, next) - costOf(rate, settled);
            settled = next;
          }
          expect(paid).toBe(costOf(rate, settled));
        },
      ),
    );
  });

  it("gives the runway of a balance at a rate", () => {
    expect(runwaySeconds(2_000_000n, ratePerSecond(1_000_000n))).toBe(7200n);
    expect(runwaySeconds(0n, ratePerSecond(1_000_000n))).toBe(0n);
    expect(runwaySeconds(5n, 0n)).toBeNull();
  });

  it("scales micro-dollars to the token's decimals", () => {
    expect(tokenUnitsFromMicroUsd(2_500_000n, 6)).toBe(2_500_000n);
    expect(tokenUnitsFromMicroUsd(2_500_000n, 18)).toBe(2_500_000n * 10n ** 12n);
    expect(tokenUnitsFromMicroUsd(2_500_000n, 2)).toBe(250n);
  });
});

describe("chainIdOf", () => {
  it("is the uuid's bytes, left-padded to 32 bytes, and refuses what is not a uuid", () => {
    expect(chainIdOf("0192f0c1-2b3c-7d4e-8f90-123456789abc")).toBe(
      `0x${"0".repeat(32)}0192f0c12b3c7d4e8f90123456789abc`,
    );
    expect(() => chainIdOf("not-a-uuid")).toThrow();
  });
});
