import { describe, expect, it } from "vitest";
import {
  formatTokenDisplay,
  formatTokenInput,
  formatTokenRate,
  formatTokens,
  withDisplayAmounts,
} from "./token-amount";

const USDC = { symbol: "USDC", decimals: 6 };

describe("formatTokenDisplay", () => {
  it("shows at least two decimals and drops trailing zeros beyond them", () => {
    expect(formatTokenDisplay(25_000_000n, 6)).toBe("25.00");
    expect(formatTokenDisplay(25_500_000n, 6)).toBe("25.50");
    expect(formatTokenDisplay(1_234_567n, 6)).toBe("1.234567");
    expect(formatTokenDisplay(0n, 6)).toBe("0.00");
  });

  it("groups thousands of the whole part", () => {
    expect(formatTokenDisplay(1_000_000_000n, 6)).toBe("1,000.00");
    expect(formatTokenDisplay(123_456_789_000_000n, 6)).toBe("123,456,789.00");
  });

  it("keeps the sign of a negative amount", () => {
    expect(formatTokenDisplay(-2_500_000n, 6)).toBe("-2.50");
  });

  it("cuts digits beyond maxDecimals without rounding up", () => {
    expect(formatTokenDisplay(999_999_999_999_999_999n, 18, 4)).toBe("0.9999");
    expect(formatTokenDisplay(10n ** 18n, 18, 4)).toBe("1.00");
  });

  it("works for tokens without decimals and amounts beyond a JS number", () => {
    expect(formatTokenDisplay(42n, 0)).toBe("42.00");
    expect(formatTokenDisplay(2n ** 80n, 6)).toBe("1,208,925,819,614,629,174.706176");
  });
});

describe("formatTokenInput", () => {
  it("gives the amount back ungrouped, as the amount fields parse it", () => {
    expect(formatTokenInput(1_000_500_000n, 6)).toBe("1000.50");
    expect(formatTokenInput(1_234_567n, 6)).toBe("1.234567");
  });
});

describe("formatTokens and formatTokenRate", () => {
  it("names the token, or shows a dollar rate per hour", () => {
    expect(formatTokens(50_000_000n, USDC)).toBe("50.00 USDC");
    expect(formatTokenRate(1_950_000n, USDC)).toBe("$1.95/h");
  });
});

describe("withDisplayAmounts", () => {
  it("rewrites wire amounts of the token's decimals in a message and leaves other numbers alone", () => {
    expect(withDisplayAmounts("exceeds your wallet's available 1250.500000 USDC", USDC)).toBe(
      "exceeds your wallet's available 1,250.50 USDC",
    );
    expect(withDisplayAmounts("must have at most 6 decimal places", USDC)).toBe(
      "must have at most 6 decimal places",
    );
    expect(withDisplayAmounts("block 12.5 of 3.1234567", USDC)).toBe("block 12.5 of 3.1234567");
  });
});
