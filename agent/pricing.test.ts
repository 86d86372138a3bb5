import { describe, expect, it } from "vitest";
import type { InventoryItem, ResourceUnit } from "@/lib/market/types";
import { GiB } from "@/lib/money";
import { priceFromTable, type OrderToPrice, type PricingStrategy } from "./pricing";

const usd = (dollars: string) => {
  const [whole, fraction = ""] = dollars.split(".");
  return BigInt(whole!) * 1_000_000n + BigInt(fraction.padEnd(6, "0"));
};

function unit(
  overrides: Partial<ResourceUnit> & { gpuUnits?: number; model?: string | null; choices?: string[] } = {},
): ResourceUnit {
  const { gpuUnits = 1, model = "h100", choices = [], ...rest } = overrides;
  return {
    gpu: {
      units: gpuUnits,
      vendor: "nvidia",
      model,
      memoryGiB: null,
      choices: choices.map((choice) => ({ model: choice, memoryGiB: null, interface: null })),
    },
    cpuMillicores: 8000,
    memoryBytes: 64n * GiB,
    storageBytes: 100n * GiB,
    ...rest,
  };
}

function order(overrides: Partial<OrderToPrice> = {}): OrderToPrice {
  return {
    shapes: [{ resources: unit(), count: 1 }],
    region: null,
    attributes: {},
    maxPricePerHour: usd("100"),
    ...overrides,
  };
}

function strategy(overrides: Partial<PricingStrategy> = {}): PricingStrategy {
  return {
    gpu: new Map([
      ["h100", usd("2.40")],
      ["a100", usd("1.30")],
    ]),
    gpuFallback: null,
    cpuCore: usd("0.02"),
    memoryGiB: usd("0.005"),
    storageGiB: usd("0.0002"),
    floor: 0n,
    margins: [],
    ...overrides,
  };
}

function inventoryItem(model: string, count = 8): InventoryItem {
  return {
    id: `inv-${model}`,
    gpu: { vendor: "nvidia", model, memoryGiB: 80, interface: "sxm", count },
    cpuMillicores: 128_000,
    memoryBytes: 1024n * GiB,
    storageBytes: 8192n * GiB,
    allocated: { gpu: 0, cpuMillicores: 0, memoryBytes: 0n, storageBytes: 0n },
  };
}

describe("priceFromTable", () => {
  it("adds GPU, CPU, memory and storage of one replica", () => {
    // 2.40 + 8 x 0.02 + 64 x 0.005 + 100 x 0.0002 = 2.40 + 0.16 + 0.32 + 0.02
    expect(priceFromTable(order(), strategy(), [])).toEqual({
      bid: true,
      pricePerHour: usd("2.90"),
      gpuModels: ["h100"],
    });
  });

  it("multiplies by the replica count and adds every additional unit", () => {
    const decision = priceFromTable(
      order({
        shapes: [
          { resources: unit({ gpuUnits: 2 }), count: 3 },
          {
            resources: unit({
              gpuUnits: 0,
              model: null,
              cpuMillicores: 2000,
              memoryBytes: 4n * GiB,
              storageBytes: 10n * GiB,
            }),
            count: 2,
          },
        ],
      }),
      strategy(),
      [],
    );
    // main: (2 x 2.40 + 0.16 + 0.32 + 0.02) x 3 = 5.30 x 3 = 15.90
    // extra: (2 x 0.02 + 4 x 0.005 + 10 x 0.0002) x 2 = 0.062 x 2 = 0.124
    expect(decision).toEqual({ bid: true, pricePerHour: usd("16.024"), gpuModels: ["h100"] });
  });

  it("rounds a fraction of a micro-dollar up, never down", () => {
    const decision = priceFromTable(
      order({
        shapes: [
          {
            resources: unit({
              gpuUnits: 0,
              model: null,
              cpuMillicores: 1,
              memoryBytes: 0n,
              storageBytes: 0n,
            }),
            count: 1,
          },
        ],
      }),
      strategy({ cpuCore: usd("0.001") }),
      [],
    );
    // 1 millicore x 0.001 $/core = 0.000001 $ exactly; 0.0000001 more would round up to 0.000002
    expect(decision).toMatchObject({ bid: true, pricePerHour: 1n });
    const above = priceFromTable(
      order({
        shapes: [
          {
            resources: unit({
              gpuUnits: 0,
              model: null,
              cpuMillicores: 1,
              memoryBytes: 0n,
              storageBytes: 0n,
            }),
            count: 1,
          },
        ],
      }),
      strategy({ cpuCore: usd("0.0011") }),
      [],
    );
    expect(above).toMatchObject({ bid: true, pricePerHour: 2n });
  });

  it("raises a low price to the floor", () => {
    const cheap = order({
      shapes: [
        {
          resources: unit({
            gpuUnits: 0,
            model: null,
            cpuMillicores: 1000,
            memoryBytes: GiB,
            storageBytes: GiB,
          }),
          count: 1,
        },
      ],
    });
    expect(priceFromTable(cheap, strategy({ floor: usd("0.10") }), [])).toMatchObject({
      bid: true,
      pricePerHour: usd("0.10"),
    });
  });

  it("applies matching margins in order and skips the others", () => {
    const decision = priceFromTable(
      order({ shapes: [{ resources: unit({ gpuUnits: 4 }), count: 1 }], region: "us-east" }),
      strategy({
        cpuCore: 0n,
        memoryGiB: 0n,
        storageGiB: 0n,
        margins: [
          { when: { minGpus: 4 }, multiplyPpm: 950_000n },
          { when: { region: "eu-west" }, multiplyPpm: 2_000_000n },
          { when: { region: "US-EAST", gpuModels: ["h100"] }, multiplyPpm: 1_100_000n },
          { when: { attributes: { tier: "gold" } }, multiplyPpm: 3_000_000n },
        ],
      }),
      [],
    );
    // 4 x 2.40 = 9.60; x0.95 = 9.12; x1.1 = 10.032
    expect(decision).toMatchObject({ bid: true, pricePerHour: usd("10.032") });
  });

  it("does not bid above the order's max price, margins and floor included", () => {
    expect(priceFromTable(order({ maxPricePerHour: usd("2.89") }), strategy(), [])).toEqual({
      bid: false,
      reason: "price 2.900000 is above the order's max 2.890000",
    });
    expect(priceFromTable(order({ maxPricePerHour: usd("2.90") }), strategy(), [])).toMatchObject({
      bid: true,
      pricePerHour: usd("2.90"),
    });
    expect(
      priceFromTable(
        order({ maxPricePerHour: usd("2.90") }),
        strategy({ margins: [{ when: {}, multiplyPpm: 1_000_001n }] }),
        [],
      ),
    ).toMatchObject({ bid: false });
    expect(
      priceFromTable(order({ maxPricePerHour: usd("2.90") }), strategy({ floor: usd("3") }), []),
    ).toMatchObject({
      bid: false,
    });
  });

  it('does not bid on a GPU model the table does not price, unless it has a "*" price', () => {
    const l40s = order({ shapes: [{ resources: unit({ model: "l40s" }), count: 1 }] });
    expect(priceFromTable(l40s, strategy(), [])).toEqual({
      bid: false,
      reason: "no price for GPU model l40s",
    });
    expect(priceFromTable(l40s, strategy({ gpuFallback: usd("1.00") }), [])).toMatchObject({
      bid: true,
      pricePerHour: usd("1.50"),
      gpuModels: ["l40s"],
    });
  });

  it("prices a choice of models as the dearest one the provider owns that satisfies it", () => {
    const either = order({
      shapes: [{ resources: unit({ model: null, choices: ["a100", "h100", "l40s"] }), count: 1 }],
    });
    // Owns only A100s: priced as an A100 even though the order would take an H100.
    expect(priceFromTable(either, strategy(), [inventoryItem("a100")])).toMatchObject({
      pricePerHour: usd("1.80"),
      gpuModels: ["a100"],
    });
    expect(priceFromTable(either, strategy(), [inventoryItem("a100"), inventoryItem("h100")])).toMatchObject({
      pricePerHour: usd("2.90"),
      gpuModels: ["h100"],
    });
    // Nothing owned matches: the order's own list decides, the dearest priced model first.
    expect(priceFromTable(either, strategy(), [])).toMatchObject({ gpuModels: ["h100"] });
  });

  it('prices an any-GPU order by the models the provider owns, or "*" when it owns none', () => {
    const anyGpu = order({ shapes: [{ resources: unit({ model: null }), count: 1 }] });
    expect(priceFromTable(anyGpu, strategy(), [inventoryItem("a100")])).toMatchObject({
      gpuModels: ["a100"],
    });
    expect(priceFromTable(anyGpu, strategy(), [])).toMatchObject({ bid: false });
    expect(priceFromTable(anyGpu, strategy({ gpuFallback: usd("0.50") }), [])).toMatchObject({
      bid: true,
      pricePerHour: usd("1.00"),
    });
  });

  it("does not bid a price of zero", () => {
    const free = strategy({ gpu: new Map([["h100", 0n]]), cpuCore: 0n, memoryGiB: 0n, storageGiB: 0n });
    expect(priceFromTable(order(), free, [])).toEqual({ bid: false, reason: "the price comes to 0" });
  });
});
