import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  MAX_CPU_MILLICORES,
  MAX_GPUS_PER_ITEM,
  MAX_MEMORY_BYTES,
  MAX_REPLICAS,
  MAX_STORAGE_BYTES,
} from "@/lib/market/market.schemas";
import { GiB, MAX_PRICE_PER_HOUR_MICROS, MiB } from "@/lib/money";
import { AKASH_USDC_IBC_DENOM } from "./pricing";
import { toOrderDrafts, type GroupSpecInput, type ToOrdersResult } from "./to-orders";
import type { DeploymentGroupDraft, FieldIssue } from "./types";
import type { UnitSource } from "./unit-sources";

const encoder = new TextEncoder();
const quantity = (value: string | number | bigint) => ({ val: encoder.encode(String(value)) });

type Unit = GroupSpecInput["resources"][number];

interface UnitOverrides {
  cpuMillicores?: string | number;
  memoryBytes?: string | number | bigint;
  storage?: Array<{ name?: string; bytes: string | number | bigint; ram?: boolean }>;
  gpuUnits?: string | number;
  gpuAttributes?: string[];
  count?: number;
  denom?: string;
  amount?: string;
}

function unit(overrides: UnitOverrides = {}): Unit {
  const storage = overrides.storage ?? [{ bytes: 100n * GiB }];
  return {
    count: overrides.count ?? 1,
    price: { denom: overrides.denom ?? "uact", amount: overrides.amount ?? "5000" },
    resource: {
      cpu: { units: quantity(overrides.cpuMillicores ?? 8000) },
      memory: { quantity: quantity(overrides.memoryBytes ?? 32n * GiB) },
      storage: storage.map((volume, index) => ({
        name: volume.name ?? (index === 0 ? "default" : `volume${index}`),
        quantity: quantity(volume.bytes),
        attributes: volume.ram
          ? [
              { key: "class", value: "ram" },
              { key: "persistent", value: "false" },
            ]
          : [],
      })),
      gpu: {
        units: quantity(overrides.gpuUnits ?? 1),
        attributes: (overrides.gpuAttributes ?? ["vendor/nvidia/model/h100"]).map((key) => ({
          key,
          value: "true",
        })),
      },
    },
  };
}

function groupSpec(
  units: Unit[] = [unit()],
  requirements: Partial<NonNullable<GroupSpecInput["requirements"]>> = {},
  name = "dcloud",
): GroupSpecInput {
  return {
    name,
    requirements: { attributes: [], signedBy: { allOf: [], anyOf: [] }, ...requirements },
    resources: units,
  };
}

/** Profiles "p0", "p1", … in unit order, each used by one service of the same name, storage as a list. */
function sourcesOf(specs: GroupSpecInput[]): Map<string, UnitSource[]> {
  return new Map(
    specs.map((spec) => [
      spec.name,
      spec.resources.map((_, index) => ({
        profile: `p${index}`,
        services: [`svc${index}`],
        storageIsList: true,
      })),
    ]),
  );
}

function convert(specs: GroupSpecInput[], aktPriceMicroUsd = 1_000_000n): ToOrdersResult {
  return toOrderDrafts(specs, { aktPriceMicroUsd, sources: sourcesOf(specs) });
}

function draftOf(spec: GroupSpecInput, aktPriceMicroUsd?: bigint): DeploymentGroupDraft {
  const result = convert([spec], aktPriceMicroUsd);
  if (!result.ok) throw new Error(`expected drafts, got ${JSON.stringify(result.issues)}`);
  return result.drafts[0]!;
}

function issuesOf(spec: GroupSpecInput, aktPriceMicroUsd?: bigint): FieldIssue[] {
  const result = convert([spec], aktPriceMicroUsd);
  if (result.ok) throw new Error("expected issues, got drafts");
  return result.issues;
}

const paths = (issues: FieldIssue[]) => issues.map((issue) => issue.at.join("."));

describe("toOrderDrafts: resources", () => {
  it("turns a one-unit group into an order with the unit's resources and count", () => {
    const draft = draftOf(groupSpec([unit({ cpuMillicores: 12000, memoryBytes: 48n * GiB, count: 3 })]));
    expect(draft.name).toBe("dcloud");
    expect(draft.requirement).toEqual({
      resources: {
        gpu: {
          units: 1,
          vendor: "nvidia",
          model: null,
          memoryGiB: null,
          choices: [{ model: "h100", memoryGiB: null, interface: null }],
        },
        cpuMillicores: 12000,
        memoryBytes: 48n * GiB,
        storageBytes: 100n * GiB,
      },
      count: 3,
      additionalUnits: [],
      region: null,
      attributes: {},
      signedBy: { allOf: [], anyOf: [] },
    });
  });

  it("adds RAM volumes to memory and sums the other volumes into storage", () => {
    const draft = draftOf(
      groupSpec([
        unit({
          memoryBytes: 32n * GiB,
          storage: [
            { bytes: 50n * GiB },
            { name: "data", bytes: 100n * GiB },
            { name: "shm", bytes: 10n * GiB, ram: true },
          ],
        }),
      ]),
    );
    expect(draft.requirement.resources.memoryBytes).toBe(42n * GiB);
    expect(draft.requirement.resources.storageBytes).toBe(150n * GiB);
  });

  it("rounds CPU up to whole millicores and drops chain-sdk's floating-point noise", () => {
    expect(
      draftOf(groupSpec([unit({ cpuMillicores: "1100.0000000000002" })])).requirement.resources.cpuMillicores,
    ).toBe(1100);
    expect(draftOf(groupSpec([unit({ cpuMillicores: "100.5" })])).requirement.resources.cpuMillicores).toBe(
      101,
    );
  });

  it("leads with the unit that has the most GPUs and keeps the others as additional units in order", () => {
    const web = unit({ gpuUnits: 0, gpuAttributes: [], cpuMillicores: 1000, count: 2 });
    const trainer = unit({ gpuUnits: 4, count: 1 });
    const cache = unit({ gpuUnits: 0, gpuAttributes: [], cpuMillicores: 500, count: 1 });
    const draft = draftOf(groupSpec([web, trainer, cache]));
    expect(draft.requirement.resources.gpu.units).toBe(4);
    expect(draft.requirement.count).toBe(1);
    expect(
      draft.requirement.additionalUnits.map((extra) => [extra.resources.cpuMillicores, extra.count]),
    ).toEqual([
      [1000, 2],
      [500, 1],
    ]);
  });

  it("keeps the first unit in the lead when GPU counts tie", () => {
    const draft = draftOf(groupSpec([unit({ cpuMillicores: 1000 }), unit({ cpuMillicores: 2000 })]));
    expect(draft.requirement.resources.cpuMillicores).toBe(1000);
    expect(draft.requirement.additionalUnits[0]!.resources.cpuMillicores).toBe(2000);
  });

  it("makes one draft per group spec", () => {
    const result = convert([groupSpec([unit()], {}, "east"), groupSpec([unit()], {}, "west")]);
    expect(result.ok && result.drafts.map((draft) => draft.name)).toEqual(["east", "west"]);
  });
});

describe("toOrderDrafts: GPUs", () => {
  const gpuOf = (gpuAttributes: string[], gpuUnits: number | string = 1) =>
    draftOf(groupSpec([unit({ gpuAttributes, gpuUnits })])).requirement.resources.gpu;

  it("reads model, memory and interface from each attribute key", () => {
    expect(
      gpuOf([
        "vendor/nvidia/model/h100/ram/80Gi/interface/pcie",
        "vendor/nvidia/model/a100/ram/40Gi",
        "vendor/nvidia/model/l40s",
      ]),
    ).toEqual({
      units: 1,
      vendor: "nvidia",
      model: null,
      memoryGiB: null,
      choices: [
        { model: "h100", memoryGiB: 80, interface: "pcie" },
        { model: "a100", memoryGiB: 40, interface: null },
        { model: "l40s", memoryGiB: null, interface: null },
      ],
    });
  });

  it("lower-cases model and interface names and reads GB and Ti sizes", () => {
    expect(
      gpuOf(["vendor/nvidia/model/RTX4090/ram/24GB", "vendor/nvidia/model/B200/ram/1Ti/interface/SXM"])
        .choices,
    ).toEqual([
      { model: "rtx4090", memoryGiB: 24, interface: null },
      { model: "b200", memoryGiB: 1024, interface: "sxm" },
    ]);
  });

  it("accepts any model of the vendor when the SDL lists none", () => {
    expect(gpuOf(["vendor/nvidia/model/*"])).toMatchObject({ units: 1, vendor: "nvidia", choices: [] });
  });

  it("asks for no GPU when units is 0", () => {
    expect(gpuOf([], 0)).toEqual({ units: 0, vendor: "nvidia", model: null, memoryGiB: null, choices: [] });
  });

  it("refuses a listed GPU without model, naming the list entry", () => {
    const issues = issuesOf(
      groupSpec([
        unit({ gpuAttributes: ["vendor/nvidia/model/h100", "vendor/nvidia/model/undefined/ram/80Gi"] }),
      ]),
    );
    expect(paths(issues)).toEqual(["profiles.compute.p0.resources.gpu.attributes.vendor.nvidia.1"]);
  });

  it("refuses a GPU memory that is not a size in GiB", () => {
    const issues = issuesOf(groupSpec([unit({ gpuAttributes: ["vendor/nvidia/model/h100/ram/lots"] })]));
    expect(paths(issues)).toEqual(["profiles.compute.p0.resources.gpu.attributes.vendor.nvidia.0.ram"]);
  });

  it.each(["-1", "1.5", "NaN"])("refuses %s GPUs", (gpuUnits) => {
    const issues = issuesOf(groupSpec([unit({ gpuUnits })]));
    expect(issues).toEqual([
      {
        at: ["profiles", "compute", "p0", "resources", "gpu", "units"],
        message: expect.stringContaining("whole number"),
      },
    ]);
  });
});

describe("toOrderDrafts: placement", () => {
  it("moves the region attribute to region and keeps the others", () => {
    const draft = draftOf(
      groupSpec([unit()], {
        attributes: [
          { key: "region", value: "us-west" },
          { key: "tier", value: "community" },
        ],
      }),
    );
    expect(draft.requirement.region).toBe("us-west");
    expect(draft.requirement.attributes).toEqual({ tier: "community" });
  });

  it("refuses a region that is not a slug, naming it", () => {
    const issues = issuesOf(groupSpec([unit()], { attributes: [{ key: "region", value: "west coast!" }] }));
    expect(paths(issues)).toEqual(["profiles.placement.dcloud.attributes.region"]);
  });

  it("refuses more than 32 placement attributes", () => {
    const attributes = Array.from({ length: 33 }, (_, index) => ({ key: `k${index}`, value: "v" }));
    expect(paths(issuesOf(groupSpec([unit()], { attributes })))).toEqual([
      "profiles.placement.dcloud.attributes",
    ]);
  });

  it("copies signedBy", () => {
    const draft = draftOf(
      groupSpec([unit()], { signedBy: { allOf: ["akash1a"], anyOf: ["akash1b", "akash1c"] } }),
    );
    expect(draft.requirement.signedBy).toEqual({ allOf: ["akash1a"], anyOf: ["akash1b", "akash1c"] });
  });

  it("reads missing requirements as no constraint", () => {
    const draft = draftOf({ ...groupSpec(), requirements: undefined });
    expect(draft.requirement).toMatchObject({
      region: null,
      attributes: {},
      signedBy: { allOf: [], anyOf: [] },
    });
  });
});

describe("toOrderDrafts: pricing", () => {
  const priceOf = (units: Unit[], aktPriceMicroUsd?: bigint) =>
    draftOf(groupSpec(units), aktPriceMicroUsd).maxPricePerHour;

  it("prices uact at 1 micro-USD per unit and 600 blocks per hour", () => {
    expect(priceOf([unit({ amount: "5000" })])).toBe(3_000_000n);
  });

  it("prices Akash's USDC like uact", () => {
    expect(priceOf([unit({ denom: AKASH_USDC_IBC_DENOM, amount: "5000" })])).toBe(3_000_000n);
  });

  it("prices uakt at the given AKT price", () => {
    // 1000 uakt per block = 0.001 AKT; × 600 = 0.6 AKT per hour; at $2.50 per AKT: $1.50.
    expect(priceOf([unit({ denom: "uakt", amount: "1000" })], 2_500_000n)).toBe(1_500_000n);
  });

  it("multiplies by replicas and sums the units", () => {
    expect(
      priceOf([
        unit({ amount: "100", count: 3 }),
        unit({ amount: "10", count: 2, gpuUnits: 0, gpuAttributes: [] }),
      ]),
    ).toBe((100n * 3n + 10n * 2n) * 600n);
  });

  it("sums units in different denoms", () => {
    expect(
      priceOf(
        [unit({ amount: "100" }), unit({ denom: "uakt", amount: "100", gpuUnits: 0, gpuAttributes: [] })],
        500_000n,
      ),
    ).toBe(60_000n + 30_000n);
  });

  it("keeps decimals exact and rounds the group total down", () => {
    // 0.0025 × 600 = 1.5 micro-USD per hour → 1.
    expect(priceOf([unit({ amount: "0.0025" })])).toBe(1n);
    // Each unit alone rounds to 0, together they make 1.2.
    expect(
      priceOf([unit({ amount: "0.001" }), unit({ amount: "0.001", gpuUnits: 0, gpuAttributes: [] })]),
    ).toBe(1n);
    expect(priceOf([unit({ amount: "1.000000000000000001" })])).toBe(600n);
  });

  it("reads the exponent form a YAML number becomes", () => {
    expect(priceOf([unit({ amount: "1e3" })])).toBe(600_000n);
    expect(priceOf([unit({ amount: "2.5e-1" })])).toBe(150n);
  });

  it("lists each unit's own price, the lead unit first", () => {
    const draft = draftOf(
      groupSpec([
        unit({ amount: "10", gpuUnits: 0, gpuAttributes: [] }),
        unit({ amount: "5000", denom: "uakt", gpuUnits: 2 }),
      ]),
    );
    expect(draft.pricing).toEqual([
      { denom: "uakt", amountPerBlock: "5000" },
      { denom: "uact", amountPerBlock: "10" },
    ]);
  });

  it("refuses a price that comes to less than one micro-USD per hour, naming the amount", () => {
    const issues = issuesOf(groupSpec([unit({ amount: "0.001" })]));
    expect(paths(issues)).toEqual(["profiles.placement.dcloud.pricing.p0.amount"]);
    expect(issues[0]!.message).toContain("at least $0.000001 per hour");
    expect(paths(issuesOf(groupSpec([unit({ amount: "0" })])))).toEqual([
      "profiles.placement.dcloud.pricing.p0.amount",
    ]);
  });

  it("refuses a price above the market's maximum, naming the costliest unit's amount", () => {
    const issues = issuesOf(
      groupSpec([
        unit({ amount: "1", gpuUnits: 0, gpuAttributes: [] }),
        unit({ amount: "2000000000", gpuUnits: 0, gpuAttributes: [] }),
      ]),
    );
    expect(paths(issues)).toEqual(["profiles.placement.dcloud.pricing.p1.amount"]);
    expect(issues[0]!.message).toContain("at most $1,000,000.00");
  });

  it("accepts a price that rounds down to exactly the market's maximum and refuses one above it", () => {
    // 1,666,666,666.666666666666666667 × 600 = 1,000,000,000,000.0000000000000002 micro-USD.
    expect(priceOf([unit({ amount: "1666666666.666666666666666667" })])).toBe(MAX_PRICE_PER_HOUR_MICROS);
    expect(paths(issuesOf(groupSpec([unit({ amount: "1666666666.67" })])))).toEqual([
      "profiles.placement.dcloud.pricing.p0.amount",
    ]);
  });

  it.each(["uatom", "ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2", ""])(
    "refuses the denom %j, naming the denom field",
    (denom) => {
      const issues = issuesOf(groupSpec([unit({ denom })]));
      expect(paths(issues)).toEqual(["profiles.placement.dcloud.pricing.p0.denom"]);
      expect(issues[0]!.message).toMatch(/^"denom" must be uact, uakt or USDC/);
    },
  );

  it.each(["0.0000000000000000001", "abc", "-5", "1e999"])("refuses the amount %j", (amount) => {
    expect(paths(issuesOf(groupSpec([unit({ amount })])))).toEqual([
      "profiles.placement.dcloud.pricing.p0.amount",
    ]);
  });

  it("equals Σ amount × count × 600 × rate, rounded down, for any whole prices", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            amount: fc.bigInt({ min: 1n, max: 10n ** 6n }),
            decimals: fc.integer({ min: 0, max: 18 }),
            count: fc.integer({ min: 1, max: MAX_REPLICAS }),
            denom: fc.constantFrom("uact", "uakt", AKASH_USDC_IBC_DENOM),
          }),
          { minLength: 1, maxLength: 4 },
        ),
        fc.bigInt({ min: 1n, max: 100n * 10n ** 6n }),
        (units, aktPriceMicroUsd) => {
          const asText = (amount: bigint, decimals: number) => {
            const digits = amount.toString().padStart(decimals + 1, "0");
            return decimals === 0 ? digits : `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
          };
          // In 1e-18 micro-USD per hour, then × 1e6 for the AKT price's own scale.
          const scaled = units.reduce((sum, { amount, decimals, count, denom }) => {
            const rate = denom === "uakt" ? aktPriceMicroUsd : 1_000_000n;
            return sum + amount * 10n ** BigInt(18 - decimals) * BigInt(count) * 600n * rate;
          }, 0n);
          const expected = scaled / 10n ** 24n;
          const result = convert(
            [
              groupSpec(
                units.map(({ amount, decimals, count, denom }) =>
                  unit({ amount: asText(amount, decimals), count, denom, gpuUnits: 0, gpuAttributes: [] }),
                ),
              ),
            ],
            aktPriceMicroUsd,
          );
          if (expected === 0n || expected > MAX_PRICE_PER_HOUR_MICROS) return !result.ok;
          return result.ok && result.drafts[0]!.maxPricePerHour === expected;
        },
      ),
    );
  });
});

describe("toOrderDrafts: market limits", () => {
  it("refuses more CPU than the market allows, naming cpu.units", () => {
    const issues = issuesOf(groupSpec([unit({ cpuMillicores: MAX_CPU_MILLICORES + 1 })]));
    expect(issues).toEqual([
      {
        at: ["profiles", "compute", "p0", "resources", "cpu", "units"],
        message: '"units" must be at most 1024 CPUs per replica',
      },
    ]);
  });

  it("accepts exactly the CPU limit", () => {
    expect(
      draftOf(groupSpec([unit({ cpuMillicores: MAX_CPU_MILLICORES })])).requirement.resources.cpuMillicores,
    ).toBe(MAX_CPU_MILLICORES);
  });

  it("refuses more memory than the market allows, naming memory.size", () => {
    expect(paths(issuesOf(groupSpec([unit({ memoryBytes: MAX_MEMORY_BYTES + 1 })])))).toEqual([
      "profiles.compute.p0.resources.memory.size",
    ]);
  });

  it("counts RAM volumes against the memory limit", () => {
    const spec = groupSpec([
      unit({ memoryBytes: MAX_MEMORY_BYTES, storage: [{ bytes: GiB }, { bytes: MiB, ram: true }] }),
    ]);
    expect(paths(issuesOf(spec))).toEqual(["profiles.compute.p0.resources.memory.size"]);
  });

  it("refuses an absurd storage volume, naming its size", () => {
    const spec = groupSpec([unit({ storage: [{ bytes: GiB }, { bytes: MAX_STORAGE_BYTES + 1 }] })]);
    expect(paths(issuesOf(spec))).toEqual(["profiles.compute.p0.resources.storage.1.size"]);
  });

  it("refuses volumes that add up to more than the limit, naming storage", () => {
    const spec = groupSpec([unit({ storage: [{ bytes: MAX_STORAGE_BYTES }, { bytes: MAX_STORAGE_BYTES }] })]);
    expect(paths(issuesOf(spec))).toEqual(["profiles.compute.p0.resources.storage"]);
  });

  it("names a single storage volume without an index when the SDL does not list it", () => {
    const spec = groupSpec([unit({ storage: [{ bytes: MAX_STORAGE_BYTES + 1 }] })]);
    const result = toOrderDrafts([spec], {
      aktPriceMicroUsd: 1n,
      sources: new Map([["dcloud", [{ profile: "web", services: ["web"], storageIsList: false }]]]),
    });
    expect(!result.ok && paths(result.issues)).toEqual(["profiles.compute.web.resources.storage.size"]);
  });

  it("refuses zero memory and empty volumes", () => {
    const spec = groupSpec([unit({ memoryBytes: 0, storage: [{ bytes: 0 }] })]);
    expect(paths(issuesOf(spec))).toEqual([
      "profiles.compute.p0.resources.memory.size",
      "profiles.compute.p0.resources.storage.0.size",
    ]);
  });

  it("refuses more GPUs per replica than a machine has, naming gpu.units", () => {
    expect(paths(issuesOf(groupSpec([unit({ gpuUnits: MAX_GPUS_PER_ITEM + 1 })])))).toEqual([
      "profiles.compute.p0.resources.gpu.units",
    ]);
    expect(draftOf(groupSpec([unit({ gpuUnits: MAX_GPUS_PER_ITEM })])).requirement.resources.gpu.units).toBe(
      MAX_GPUS_PER_ITEM,
    );
  });

  it("refuses more replicas than the market allows, naming the first service's count", () => {
    const spec = groupSpec([unit({ count: MAX_REPLICAS + 1 })]);
    const result = toOrderDrafts([spec], {
      aktPriceMicroUsd: 1n,
      sources: new Map([["dcloud", [{ profile: "web", services: ["api", "web"], storageIsList: true }]]]),
    });
    expect(!result.ok && result.issues).toEqual([
      {
        at: ["deployment", "api", "dcloud", "count"],
        message: expect.stringContaining(`at most ${MAX_REPLICAS} replicas`),
      },
    ]);
  });

  it("reports every problem of every group at once", () => {
    const result = convert([
      groupSpec([unit({ cpuMillicores: MAX_CPU_MILLICORES + 1, denom: "uatom" })], {}, "east"),
      groupSpec([unit({ gpuUnits: 100 })], {}, "west"),
    ]);
    expect(!result.ok && paths(result.issues)).toEqual([
      "profiles.compute.p0.resources.cpu.units",
      "profiles.placement.east.pricing.p0.denom",
      "profiles.compute.p0.resources.gpu.units",
    ]);
  });
});
