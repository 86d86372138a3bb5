import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import {
  GiB,
  KiB,
  MAX_PRICE_PER_HOUR_MICROS,
  MiB,
  PiB,
  TiB,
  USD_DECIMALS,
  formatBytes,
  formatUsd,
  formatUsdDisplay,
  parseUsd,
  tryParseUsd,
} from "@/lib/money";

function parseError(value: string): AppError {
  try {
    parseUsd(value, "order.maxPricePerHour");
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(value)} to be rejected`);
}

describe("money constants", () => {
  it("counts USD in micro-dollars", () => {
    expect(USD_DECIMALS).toBe(6);
    expect(parseUsd("1", "x")).toBe(1_000_000n);
  });

  it("caps hourly prices at one million dollars", () => {
    expect(MAX_PRICE_PER_HOUR_MICROS).toBe(1_000_000_000_000n);
    expect(formatUsd(MAX_PRICE_PER_HOUR_MICROS)).toBe("1000000.000000");
  });
});

describe("parseUsd", () => {
  it.each([
    ["0", 0n],
    ["2", 2_000_000n],
    ["2.5", 2_500_000n],
    ["2.45", 2_450_000n],
    ["2.450000", 2_450_000n],
    ["0.000001", 1n],
    ["0.1", 100_000n],
    ["10", 10_000_000n],
    ["1000000", 1_000_000_000_000n],
    ["123456789012345678901234567890.123456", 123456789012345678901234567890123456n],
  ])("reads %s as %s micro-dollars", (value, micros) => {
    expect(parseUsd(value, "price")).toBe(micros);
    expect(tryParseUsd(value)).toBe(micros);
  });

  it("rejects more than 6 decimal places, naming the field", () => {
    const error = parseError("2.4500001");
    expect(error.code).toBe("VALIDATION");
    expect(error.fields).toEqual([
      { path: "order.maxPricePerHour", message: "must have at most 6 decimal places" },
    ]);
  });

  it.each([
    "",
    " ",
    "-1",
    "+1",
    "1e3",
    "1E3",
    "02",
    "00",
    "00.5",
    ".5",
    "2.",
    " 2",
    "2 ",
    "2,50",
    "1,000",
    "$2",
    "NaN",
    "Infinity",
    "0x10",
    "2.5.0",
    "٢",
    "2\n",
  ])("rejects %j as not a plain decimal string", (value) => {
    const error = parseError(value);
    expect(error.code).toBe("VALIDATION");
    expect(error.fields).toEqual([
      { path: "order.maxPricePerHour", message: 'must be a decimal string like "2.50"' },
    ]);
    expect(tryParseUsd(value)).toBeNull();
  });

  it("returns null from tryParseUsd for values that are not strings", () => {
    for (const value of [2.5, 2n, null, undefined, {}, ["2"]]) {
      expect(tryParseUsd(value)).toBeNull();
    }
  });

  it("rejects a non-string at runtime with a validation error", () => {
    expect(() => parseUsd(2.5 as unknown as string, "price")).toThrow(AppError);
  });

  it("round-trips every non-negative amount through formatUsd", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 30n }), (micros) => {
        expect(parseUsd(formatUsd(micros), "price")).toBe(micros);
      }),
    );
  });

  it("agrees with the digits of the string for any valid decimal", () => {
    const decimal = fc
      .tuple(
        fc.bigInt({ min: 0n, max: 10n ** 20n }),
        fc.string({ unit: fc.constantFrom(..."0123456789"), maxLength: 6 }),
      )
      .map(([whole, fraction]) => ({
        whole,
        fraction,
        text: fraction ? `${whole}.${fraction}` : `${whole}`,
      }));
    fc.assert(
      fc.property(decimal, ({ whole, fraction, text }) => {
        const expected = whole * 1_000_000n + BigInt(fraction.padEnd(6, "0") || "0");
        expect(parseUsd(text, "price")).toBe(expected);
      }),
    );
  });
});

describe("formatUsd", () => {
  it.each([
    [0n, "0.000000"],
    [1n, "0.000001"],
    [2_450_000n, "2.450000"],
    [1_234_567_890n, "1234.567890"],
    [-1_500_000n, "-1.500000"],
  ])("writes %s micro-dollars as %s", (micros, text) => {
    expect(formatUsd(micros)).toBe(text);
  });
});

describe("formatUsdDisplay", () => {
  it.each([
    [0n, "$0.00"],
    [1n, "$0.000001"],
    [10_000n, "$0.01"],
    [2_450_000n, "$2.45"],
    [2_000_000n, "$2.00"],
    [2_500_000n, "$2.50"],
    [2_456_000n, "$2.456"],
    [999_999_999n, "$999.999999"],
    [1_000_000_000n, "$1,000.00"],
    [1_234_567_890n, "$1,234.56789"],
    [1_234_567_000_000n, "$1,234,567.00"],
    [-1_234_500_000n, "-$1,234.50"],
  ])("shows %s micro-dollars as %s", (micros, text) => {
    expect(formatUsdDisplay(micros)).toBe(text);
  });

  it("keeps every digit, so the display form converts back to the same amount", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 24n }), (micros) => {
        const shown = formatUsdDisplay(micros);
        expect(shown).toMatch(/^\$\d{1,3}(,\d{3})*\.\d{2,6}$/);
        expect(parseUsd(shown.slice(1).replaceAll(",", ""), "price")).toBe(micros);
      }),
    );
  });
});

describe("formatBytes", () => {
  it("exports binary size constants", () => {
    expect([KiB, MiB, GiB, TiB, PiB]).toEqual([
      1024n,
      1048576n,
      1073741824n,
      1099511627776n,
      1125899906842624n,
    ]);
  });

  it.each([
    [0n, "0 B"],
    [1n, "1 B"],
    [1023n, "1023 B"],
    [KiB, "1 KiB"],
    [512n * MiB, "512 MiB"],
    [80n * GiB, "80 GiB"],
    [1024n * GiB, "1 TiB"],
    [TiB + TiB / 2n, "1.5 TiB"],
    [TiB + TiB / 4n, "1.25 TiB"],
    [(3n * MiB) / 2n, "1.5 MiB"],
    [(11n * GiB + 9n) / 10n, "1.1 GiB"],
    [2n * PiB, "2 PiB"],
    [4096n * PiB, "4096 PiB"],
  ])("shows %s bytes as %s", (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it("truncates rather than rounds, so a size is never overstated", () => {
    expect(formatBytes(GiB - 1n)).toBe("1023.99 MiB");
    expect(formatBytes(2n * GiB - 1n)).toBe("1.99 GiB");
    expect(formatBytes(GiB + GiB / 10n)).toBe("1.09 GiB");
  });
});
