import { describe, expect, it } from "vitest";
import {
  AKASH_USDC_IBC_DENOM,
  BLOCKS_PER_HOUR,
  denomRates,
  microUsdPerHour,
  parseDecAmount,
} from "./pricing";

describe("parseDecAmount", () => {
  it.each([
    ["0", 0n],
    ["5000", 5000n * 10n ** 18n],
    ["0.25", 25n * 10n ** 16n],
    ["1.000000000000000001", 10n ** 18n + 1n],
    ["1.50000000000000000000", 15n * 10n ** 17n],
    ["1e3", 1000n * 10n ** 18n],
    ["2.5E-7", 25n * 10n ** 10n],
    ["1e-18", 1n],
  ])("reads %j as an exact number of 1e-18 units", (amount, expected) => {
    expect(parseDecAmount(amount)).toBe(expected);
  });

  it.each([
    "",
    "-1",
    "1.",
    ".5",
    "0x10",
    "1,5",
    "Infinity",
    "NaN",
    "1e-19",
    "0.0000000000000000001",
    "1e999",
    "9".repeat(65),
  ])("refuses %j", (amount) => {
    expect(parseDecAmount(amount)).toBeNull();
  });
});

describe("microUsdPerHour", () => {
  it("assumes 6-second blocks", () => {
    expect(BLOCKS_PER_HOUR).toBe(600);
  });

  it("values uact and USDC at 1 micro-USD per unit and uakt at the AKT price", () => {
    const rates = denomRates(3_000_000n);
    const perBlock = 10n * 10n ** 18n;
    expect(microUsdPerHour([{ denom: "uact", amount: perBlock, count: 1 }], rates)).toBe(6000n);
    expect(microUsdPerHour([{ denom: AKASH_USDC_IBC_DENOM, amount: perBlock, count: 1 }], rates)).toBe(6000n);
    expect(microUsdPerHour([{ denom: "uakt", amount: perBlock, count: 1 }], rates)).toBe(18000n);
  });
});
