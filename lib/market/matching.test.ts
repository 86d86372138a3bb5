import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import {
  applyAllocations,
  canServe,
  freeOf,
  gpuMatches,
  planPlacement,
  providerQualifies,
  releaseAllocations,
} from "@/lib/market/matching";
import type {
  AdditionalUnit,
  Allocation,
  GpuChoice,
  InventoryItem,
  OrderRequirement,
  ProviderProfile,
  ResourceUnit,
  SignedBy,
} from "@/lib/market/types";
import { GiB, PiB } from "@/lib/money";

type ItemOverrides = Omit<Partial<InventoryItem>, "gpu" | "allocated"> & {
  gpu?: Partial<InventoryItem["gpu"]>;
  allocated?: Partial<InventoryItem["allocated"]>;
};

function inventoryItem(overrides: ItemOverrides = {}): InventoryItem {
  return {
    id: "inv-a",
    cpuMillicores: 64_000,
    memoryBytes: 512n * GiB,
    storageBytes: 2048n * GiB,
    ...overrides,
    gpu: { vendor: "nvidia", model: "H100", memoryGiB: 80, interface: "sxm", count: 8, ...overrides.gpu },
    allocated: { gpu: 0, cpuMillicores: 0, memoryBytes: 0n, storageBytes: 0n, ...overrides.allocated },
  };
}

type UnitOverrides = Omit<Partial<ResourceUnit>, "gpu"> & { gpu?: Partial<ResourceUnit["gpu"]> };

function resourceUnit(overrides: UnitOverrides = {}): ResourceUnit {
  return {
    cpuMillicores: 8_000,
    memoryBytes: 64n * GiB,
    storageBytes: 100n * GiB,
    ...overrides,
    gpu: { units: 1, vendor: "nvidia", model: "H100", memoryGiB: 80, choices: [], ...overrides.gpu },
  };
}

function requirement(
  overrides: Omit<Partial<OrderRequirement>, "resources"> & { resources?: UnitOverrides } = {},
): OrderRequirement {
  return {
    count: 1,
    additionalUnits: [],
    region: null,
    attributes: {},
    signedBy: { allOf: [], anyOf: [] },
    ...overrides,
    resources: resourceUnit(overrides.resources),
  };
}

function provider(overrides: Partial<ProviderProfile> = {}): ProviderProfile {
  return { id: "prov-1", region: "us-east", attributes: {}, auditedBy: [], status: "active", ...overrides };
}

function catchAppError(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected an AppError");
}

describe("freeOf", () => {
  it("is capacity minus what is already allocated, per resource", () => {
    const item = inventoryItem({
      gpu: { count: 8 },
      cpuMillicores: 64_000,
      memoryBytes: 512n * GiB,
      storageBytes: 1000n * GiB,
      allocated: { gpu: 3, cpuMillicores: 24_000, memoryBytes: 192n * GiB, storageBytes: 300n * GiB },
    });
    expect(freeOf(item)).toEqual({
      gpu: 5,
      cpuMillicores: 40_000,
      memoryBytes: 320n * GiB,
      storageBytes: 700n * GiB,
    });
  });
});

describe("gpuMatches", () => {
  const gpu = (overrides: Partial<ResourceUnit["gpu"]> = {}) => resourceUnit({ gpu: overrides }).gpu;

  it("matches vendor and model ignoring case", () => {
    const item = inventoryItem({ gpu: { vendor: "NVIDIA", model: "H100" } });
    expect(gpuMatches(item, gpu({ vendor: "nvidia", model: "h100" }))).toBe(true);
  });

  it("rejects a different vendor", () => {
    expect(gpuMatches(inventoryItem({ gpu: { vendor: "amd" } }), gpu({ vendor: "nvidia" }))).toBe(false);
  });

  it("rejects a different model", () => {
    expect(gpuMatches(inventoryItem({ gpu: { model: "A100" } }), gpu({ model: "H100" }))).toBe(false);
  });

  it("accepts any model of the vendor when the order names none", () => {
    expect(gpuMatches(inventoryItem({ gpu: { model: "A100" } }), gpu({ model: null }))).toBe(true);
  });

  it("accepts GPU memory at or above the requested GiB", () => {
    expect(gpuMatches(inventoryItem({ gpu: { memoryGiB: 80 } }), gpu({ memoryGiB: 80 }))).toBe(true);
    expect(gpuMatches(inventoryItem({ gpu: { memoryGiB: 80 } }), gpu({ memoryGiB: 40 }))).toBe(true);
  });

  it("rejects GPU memory below the requested GiB", () => {
    expect(gpuMatches(inventoryItem({ gpu: { memoryGiB: 40 } }), gpu({ memoryGiB: 80 }))).toBe(false);
  });

  it("accepts any GPU memory when the order names none", () => {
    expect(gpuMatches(inventoryItem({ gpu: { memoryGiB: 16 } }), gpu({ memoryGiB: null }))).toBe(true);
  });

  it("accepts any item, even one without GPUs, when the order needs no GPU", () => {
    const cpuOnly = inventoryItem({ gpu: { vendor: "none", model: "", memoryGiB: 0, count: 0 } });
    expect(gpuMatches(cpuOnly, gpu({ units: 0, vendor: "nvidia", model: "H100", memoryGiB: 80 }))).toBe(true);
  });
});

describe("gpuMatches with SDL choices", () => {
  const a100 = inventoryItem({ gpu: { model: "A100", memoryGiB: 40, interface: "pcie" } });
  const h100 = inventoryItem({ gpu: { model: "H100", memoryGiB: 80, interface: "sxm" } });
  const anyOf = (...choices: GpuChoice[]) =>
    resourceUnit({ gpu: { model: null, memoryGiB: null, choices } }).gpu;

  it("accepts an item whose model is one of the choices, ignoring case", () => {
    const gpu = anyOf(
      { model: "h100", memoryGiB: null, interface: null },
      { model: "rtx4090", memoryGiB: null, interface: null },
    );
    expect(gpuMatches(h100, gpu)).toBe(true);
    expect(gpuMatches(a100, gpu)).toBe(false);
  });

  it("applies a choice's VRAM minimum and interface to that model only", () => {
    expect(gpuMatches(a100, anyOf({ model: "a100", memoryGiB: 80, interface: null }))).toBe(false);
    expect(gpuMatches(a100, anyOf({ model: "a100", memoryGiB: 40, interface: "pcie" }))).toBe(true);
    expect(gpuMatches(h100, anyOf({ model: "h100", memoryGiB: null, interface: "pcie" }))).toBe(false);
    expect(
      gpuMatches(
        h100,
        anyOf(
          { model: "a100", memoryGiB: 80, interface: null },
          { model: "h100", memoryGiB: 80, interface: "sxm" },
        ),
      ),
    ).toBe(true);
  });

  it("accepts any model of the vendor when there are no choices", () => {
    expect(gpuMatches(a100, anyOf())).toBe(true);
  });
});

describe("providerQualifies with signedBy", () => {
  const audited = provider({ auditedBy: ["akash1auditor", "akash1other"] });

  it("requires every allOf auditor", () => {
    expect(
      providerQualifies(audited, requirement({ signedBy: { allOf: ["akash1auditor"], anyOf: [] } })),
    ).toBe(true);
    expect(
      providerQualifies(
        audited,
        requirement({ signedBy: { allOf: ["akash1auditor", "akash1third"], anyOf: [] } }),
      ),
    ).toBe(false);
  });

  it("requires at least one anyOf auditor when the list is not empty", () => {
    expect(
      providerQualifies(audited, requirement({ signedBy: { allOf: [], anyOf: ["akash1x", "akash1other"] } })),
    ).toBe(true);
    expect(
      providerQualifies(provider(), requirement({ signedBy: { allOf: [], anyOf: ["akash1auditor"] } })),
    ).toBe(false);
  });
});

describe("providerQualifies", () => {
  it("accepts an active provider when the order has no region or attributes", () => {
    expect(providerQualifies(provider(), requirement())).toBe(true);
  });

  it("rejects a suspended provider", () => {
    expect(providerQualifies(provider({ status: "suspended" }), requirement())).toBe(false);
  });

  it("matches the region ignoring case", () => {
    expect(providerQualifies(provider({ region: "US-East" }), requirement({ region: "us-east" }))).toBe(true);
  });

  it("rejects a provider in another region", () => {
    expect(providerQualifies(provider({ region: "eu-west" }), requirement({ region: "us-east" }))).toBe(
      false,
    );
  });

  it("requires every order attribute with an equal value, allowing extra provider attributes", () => {
    const attributes = { tier: "community", "host.akash.network": "true", datacenter: "fra1" };
    expect(
      providerQualifies(
        provider({ attributes }),
        requirement({ attributes: { tier: "community", datacenter: "fra1" } }),
      ),
    ).toBe(true);
  });

  it("rejects a provider missing an order attribute", () => {
    expect(
      providerQualifies(provider({ attributes: {} }), requirement({ attributes: { tier: "premium" } })),
    ).toBe(false);
  });

  it("rejects a provider whose attribute value differs", () => {
    expect(
      providerQualifies(
        provider({ attributes: { tier: "community" } }),
        requirement({ attributes: { tier: "premium" } }),
      ),
    ).toBe(false);
  });

  it("does not take inherited object properties for provider attributes", () => {
    expect(
      providerQualifies(
        provider(),
        requirement({ attributes: { constructor: "function Object() { [native code] }" } }),
      ),
    ).toBe(false);
  });
});

describe("planPlacement", () => {
  it("places one replica on an item that fits it", () => {
    const plan = planPlacement(requirement(), provider(), [inventoryItem({ id: "inv-a" })]);
    expect(plan).toEqual([
      {
        inventoryId: "inv-a",
        gpu: 1,
        cpuMillicores: 8_000,
        memoryBytes: 64n * GiB,
        storageBytes: 100n * GiB,
      },
    ]);
  });

  it("returns null when the provider does not qualify, even with room", () => {
    expect(planPlacement(requirement(), provider({ status: "suspended" }), [inventoryItem()])).toBeNull();
    expect(planPlacement(requirement({ region: "eu-west" }), provider(), [inventoryItem()])).toBeNull();
  });

  it("returns null for an empty inventory", () => {
    expect(planPlacement(requirement(), provider(), [])).toBeNull();
  });

  it("never splits one replica's GPUs across items", () => {
    const items = [
      inventoryItem({ id: "inv-a", gpu: { count: 2 } }),
      inventoryItem({ id: "inv-b", gpu: { count: 2 } }),
    ];
    expect(planPlacement(requirement({ resources: { gpu: { units: 4 } } }), provider(), items)).toBeNull();
  });

  it("puts several replicas on one item and reports them as one summed allocation", () => {
    const plan = planPlacement(requirement({ count: 3, resources: { gpu: { units: 2 } } }), provider(), [
      inventoryItem({ id: "inv-a", gpu: { count: 8 } }),
    ]);
    expect(plan).toEqual([
      {
        inventoryId: "inv-a",
        gpu: 6,
        cpuMillicores: 24_000,
        memoryBytes: 192n * GiB,
        storageBytes: 300n * GiB,
      },
    ]);
  });

  it("spreads replicas over several items when one is not enough", () => {
    const items = [
      inventoryItem({ id: "inv-a", gpu: { count: 2 } }),
      inventoryItem({ id: "inv-b", gpu: { count: 2 } }),
    ];
    const plan = planPlacement(requirement({ count: 3 }), provider(), items);
    expect(plan?.map((a) => [a.inventoryId, a.gpu])).toEqual([
      ["inv-a", 2],
      ["inv-b", 1],
    ]);
  });

  it("uses the item with the least free GPU that still fits, keeping big machines free", () => {
    const items = [
      inventoryItem({ id: "inv-big", gpu: { count: 8 } }),
      inventoryItem({ id: "inv-full", gpu: { count: 8 }, allocated: { gpu: 7 } }),
      inventoryItem({ id: "inv-small", gpu: { count: 4 } }),
    ];
    const plan = planPlacement(requirement({ resources: { gpu: { units: 2 } } }), provider(), items);
    expect(plan?.map((a) => a.inventoryId)).toEqual(["inv-small"]);
  });

  it("breaks ties in free GPU by inventory id", () => {
    const items = [inventoryItem({ id: "inv-b" }), inventoryItem({ id: "inv-a" })];
    expect(planPlacement(requirement(), provider(), items)?.map((a) => a.inventoryId)).toEqual(["inv-a"]);
  });

  it("returns allocations sorted by inventory id whatever order the items come in", () => {
    const items = [
      inventoryItem({ id: "inv-c", gpu: { count: 1 } }),
      inventoryItem({ id: "inv-a", gpu: { count: 3 } }),
      inventoryItem({ id: "inv-b", gpu: { count: 2 } }),
    ];
    const plan = planPlacement(requirement({ count: 6 }), provider(), items);
    expect(plan?.map((a) => [a.inventoryId, a.gpu])).toEqual([
      ["inv-a", 3],
      ["inv-b", 2],
      ["inv-c", 1],
    ]);
  });

  it("passes over an item too small for even one replica", () => {
    const items = [
      inventoryItem({ id: "inv-large", gpu: { count: 4 } }),
      inventoryItem({ id: "inv-tiny", gpu: { count: 1 } }),
    ];
    const plan = planPlacement(
      requirement({ count: 2, resources: { gpu: { units: 2 } } }),
      provider(),
      items,
    );
    expect(plan?.map((a) => [a.inventoryId, a.gpu])).toEqual([["inv-large", 4]]);
  });

  it("counts what is already allocated as unavailable", () => {
    const item = inventoryItem({ gpu: { count: 8 }, allocated: { gpu: 8 } });
    expect(planPlacement(requirement(), provider(), [item])).toBeNull();
  });

  it.each([
    ["CPU", { cpuMillicores: 7_999 }],
    ["memory", { memoryBytes: 64n * GiB - 1n }],
    ["storage", { storageBytes: 100n * GiB - 1n }],
  ] as const)("rejects an item with free GPUs but too little %s", (_name, shortage) => {
    expect(planPlacement(requirement(), provider(), [inventoryItem(shortage)])).toBeNull();
  });

  it("skips items whose GPU does not match the order", () => {
    const items = [
      inventoryItem({ id: "inv-a", gpu: { model: "A100" } }),
      inventoryItem({ id: "inv-b", gpu: { model: "h100" } }),
    ];
    expect(planPlacement(requirement(), provider(), items)?.map((a) => a.inventoryId)).toEqual(["inv-b"]);
  });

  it("places a GPU-less order on a CPU-only item", () => {
    const cpuOnly = inventoryItem({
      id: "inv-cpu",
      gpu: { vendor: "none", model: "", memoryGiB: 0, count: 0 },
    });
    const plan = planPlacement(requirement({ resources: { gpu: { units: 0 } } }), provider(), [cpuOnly]);
    expect(plan).toEqual([
      {
        inventoryId: "inv-cpu",
        gpu: 0,
        cpuMillicores: 8_000,
        memoryBytes: 64n * GiB,
        storageBytes: 100n * GiB,
      },
    ]);
  });

  it("handles capacities far larger than the order without losing precision", () => {
    const item = inventoryItem({
      memoryBytes: 1024n * PiB,
      storageBytes: 1024n * PiB,
      cpuMillicores: 1_000_000,
    });
    const plan = planPlacement(
      requirement({
        count: 3,
        resources: { gpu: { units: 0 }, cpuMillicores: 1, memoryBytes: 1n, storageBytes: 1n },
      }),
      provider(),
      [item],
    );
    expect(plan).toEqual([
      { inventoryId: "inv-a", gpu: 0, cpuMillicores: 3, memoryBytes: 3n, storageBytes: 3n },
    ]);
  });

  it.each([0, -1, 1.5, Number.NaN])("returns null for a replica count of %s", (count) => {
    expect(planPlacement(requirement({ count }), provider(), [inventoryItem()])).toBeNull();
  });

  it.each([
    ["GPU units", { gpu: { units: -1 } }],
    ["CPU", { cpuMillicores: -1 }],
    ["memory", { memoryBytes: -1n }],
    ["storage", { storageBytes: -1n }],
    ["fractional CPU", { cpuMillicores: 0.5 }],
  ] as const)("returns null for a replica with negative or fractional %s", (_name, resources) => {
    expect(planPlacement(requirement({ resources }), provider(), [inventoryItem()])).toBeNull();
  });
});

describe("planPlacement with additional units", () => {
  const cpuOnly = (cpuMillicores: number): AdditionalUnit => ({
    resources: resourceUnit({
      gpu: { units: 0, model: null, memoryGiB: null },
      cpuMillicores,
      memoryBytes: GiB,
      storageBytes: GiB,
    }),
    count: 1,
  });

  it("places every shape of the group on the same provider and sums allocations per item", () => {
    const inventory = [inventoryItem({ id: "inv-a", gpu: { count: 1 }, cpuMillicores: 16_000 })];
    const plan = planPlacement(requirement({ additionalUnits: [cpuOnly(4_000)] }), provider(), inventory);
    expect(plan).toEqual([
      {
        inventoryId: "inv-a",
        gpu: 1,
        cpuMillicores: 12_000,
        memoryBytes: 65n * GiB,
        storageBytes: 101n * GiB,
      },
    ]);
  });

  it("returns null when the additional shapes do not fit beside the first", () => {
    const inventory = [inventoryItem({ id: "inv-a", gpu: { count: 1 }, cpuMillicores: 10_000 })];
    expect(
      planPlacement(requirement({ additionalUnits: [cpuOnly(4_000)] }), provider(), inventory),
    ).toBeNull();
  });

  it("returns null for an additional shape with a non-positive count", () => {
    const inventory = [inventoryItem({ id: "inv-a" })];
    expect(
      planPlacement(
        requirement({ additionalUnits: [{ ...cpuOnly(1_000), count: 0 }] }),
        provider(),
        inventory,
      ),
    ).toBeNull();
  });
});

describe("canServe", () => {
  it("is true when the order can be placed", () => {
    expect(canServe(requirement({ count: 8 }), provider(), [inventoryItem({ gpu: { count: 8 } })])).toBe(
      true,
    );
  });

  it("is false when it cannot", () => {
    expect(canServe(requirement({ count: 9 }), provider(), [inventoryItem({ gpu: { count: 8 } })])).toBe(
      false,
    );
  });
});

describe("applyAllocations and releaseAllocations", () => {
  const allocation = (overrides: Partial<Allocation> = {}): Allocation => ({
    inventoryId: "inv-a",
    gpu: 2,
    cpuMillicores: 16_000,
    memoryBytes: 128n * GiB,
    storageBytes: 200n * GiB,
    ...overrides,
  });

  it("adds allocations to the items they name and leaves other items as they were", () => {
    const inventory = [inventoryItem({ id: "inv-a" }), inventoryItem({ id: "inv-b" })];
    const next = applyAllocations(inventory, [allocation()]);
    expect(next[0]?.allocated).toEqual({
      gpu: 2,
      cpuMillicores: 16_000,
      memoryBytes: 128n * GiB,
      storageBytes: 200n * GiB,
    });
    expect(next[1]).toEqual(inventory[1]);
  });

  it("does not modify the inventory it is given", () => {
    const inventory = [inventoryItem()];
    const snapshot = structuredClone(inventory);
    applyAllocations(inventory, [allocation()]);
    expect(inventory).toEqual(snapshot);
  });

  it("accumulates several allocations on one item", () => {
    const next = applyAllocations([inventoryItem()], [allocation(), allocation()]);
    expect(next[0]?.allocated.gpu).toBe(4);
  });

  it("fills an item exactly to capacity", () => {
    const next = applyAllocations([inventoryItem({ gpu: { count: 2 } })], [allocation({ gpu: 2 })]);
    expect(freeOf(next[0] as InventoryItem).gpu).toBe(0);
  });

  it.each([
    ["GPUs", { gpu: 9 }],
    ["CPU", { cpuMillicores: 64_001 }],
    ["memory", { memoryBytes: 512n * GiB + 1n }],
    ["storage", { storageBytes: 2048n * GiB + 1n }],
  ] as const)("refuses to allocate more %s than the item has", (_name, overrides) => {
    const error = catchAppError(() => applyAllocations([inventoryItem()], [allocation(overrides)]));
    expect(error.code).toBe("INVALID_STATE");
  });

  it("refuses allocations that only exceed capacity together", () => {
    const error = catchAppError(() =>
      applyAllocations([inventoryItem()], [allocation({ gpu: 5 }), allocation({ gpu: 4 })]),
    );
    expect(error.code).toBe("INVALID_STATE");
  });

  it("refuses an allocation on an unknown inventory item", () => {
    const error = catchAppError(() =>
      applyAllocations([inventoryItem()], [allocation({ inventoryId: "inv-x" })]),
    );
    expect(error.code).toBe("INVALID_STATE");
  });

  it("refuses a negative allocation, which would free capacity in disguise", () => {
    const item = inventoryItem({ allocated: { gpu: 4 } });
    expect(catchAppError(() => applyAllocations([item], [allocation({ gpu: -2 })])).code).toBe(
      "INVALID_STATE",
    );
    expect(catchAppError(() => releaseAllocations([item], [allocation({ gpu: -2 })])).code).toBe(
      "INVALID_STATE",
    );
  });

  it("gives released capacity back", () => {
    const item = inventoryItem({
      allocated: { gpu: 3, cpuMillicores: 20_000, memoryBytes: 200n * GiB, storageBytes: 300n * GiB },
    });
    const next = releaseAllocations([item], [allocation()]);
    expect(next[0]?.allocated).toEqual({
      gpu: 1,
      cpuMillicores: 4_000,
      memoryBytes: 72n * GiB,
      storageBytes: 100n * GiB,
    });
  });

  it.each([
    ["GPUs", { gpu: 3 }],
    ["CPU", { cpuMillicores: 16_001 }],
    ["memory", { memoryBytes: 128n * GiB + 1n }],
    ["storage", { storageBytes: 200n * GiB + 1n }],
  ] as const)("refuses to release more %s than is allocated", (_name, overrides) => {
    const item = inventoryItem({ allocated: allocation() });
    const error = catchAppError(() => releaseAllocations([item], [allocation(overrides)]));
    expect(error.code).toBe("INVALID_STATE");
  });
});

describe("placement properties", () => {
  // Fraction of a resource already allocated; often none, so that plans are common.
  const shareArb = fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1, noNaN: true }));
  const itemArb = fc
    .record({
      vendor: fc.constantFrom("nvidia", "NVIDIA", "amd"),
      model: fc.constantFrom("H100", "h100", "A100"),
      memoryGiB: fc.constantFrom(40, 80),
      gpuCount: fc.integer({ min: 0, max: 8 }),
      cpuCores: fc.integer({ min: 0, max: 32 }),
      memoryGiBTotal: fc.integer({ min: 0, max: 64 }),
      storageGiBTotal: fc.integer({ min: 0, max: 64 }),
      usedShare: fc.record({
        gpu: shareArb,
        cpu: shareArb,
        memory: shareArb,
        storage: shareArb,
      }),
    })
    .map((spec): Omit<InventoryItem, "id"> => {
      const used = (total: number, share: number) => Math.floor(total * share);
      return {
        gpu: {
          vendor: spec.vendor,
          model: spec.model,
          memoryGiB: spec.memoryGiB,
          interface: "pcie",
          count: spec.gpuCount,
        },
        cpuMillicores: spec.cpuCores * 1000,
        memoryBytes: BigInt(spec.memoryGiBTotal) * GiB,
        storageBytes: BigInt(spec.storageGiBTotal) * GiB,
        allocated: {
          gpu: used(spec.gpuCount, spec.usedShare.gpu),
          cpuMillicores: used(spec.cpuCores, spec.usedShare.cpu) * 1000,
          memoryBytes: BigInt(used(spec.memoryGiBTotal, spec.usedShare.memory)) * GiB,
          storageBytes: BigInt(used(spec.storageGiBTotal, spec.usedShare.storage)) * GiB,
        },
      };
    });

  const inventoryArb = (maxLength: number) =>
    fc.array(itemArb, { maxLength }).chain((items) =>
      fc
        .shuffledSubarray(["a", "b", "c", "d", "e", "f", "g", "h"], {
          minLength: items.length,
          maxLength: items.length,
        })
        .map((ids) => items.map((item, index): InventoryItem => ({ ...item, id: `inv-${ids[index]}` }))),
    );

  const unitArb = fc.record({
    gpu: fc.record({
      units: fc.integer({ min: 0, max: 3 }),
      vendor: fc.constantFrom("nvidia", "Nvidia", "amd"),
      model: fc.constantFrom(null, "h100", "A100"),
      memoryGiB: fc.constantFrom(null, 40, 80),
      choices: fc.constantFrom<GpuChoice[][]>(
        [],
        [{ model: "h100", memoryGiB: null, interface: null }],
        [
          { model: "a100", memoryGiB: 80, interface: null },
          { model: "H100", memoryGiB: null, interface: "sxm" },
        ],
      ),
    }),
    cpuMillicores: fc.integer({ min: 0, max: 16 }).map((halfCores) => halfCores * 500),
    memoryBytes: fc.integer({ min: 0, max: 8 }).map((gib) => BigInt(gib) * GiB),
    storageBytes: fc.integer({ min: 0, max: 8 }).map((gib) => BigInt(gib) * GiB),
  });

  const requirementArb = (maxCount: number) =>
    fc.record({
      resources: unitArb,
      count: fc.integer({ min: 1, max: maxCount }),
      additionalUnits: fc.constant<AdditionalUnit[]>([]),
      region: fc.constant(null),
      attributes: fc.constant({}),
      signedBy: fc.constant<SignedBy>({ allOf: [], anyOf: [] }),
    });

  // Most random inputs cannot be placed; runs are raised so that plenty of them can.
  const filteredRuns = { numRuns: 400 };

  it("never plans more than an item's free capacity, and only on matching items", () => {
    fc.assert(
      fc.property(requirementArb(10), inventoryArb(6), (req, inventory) => {
        const plan = planPlacement(req, provider(), inventory);
        fc.pre(plan !== null);
        for (const allocation of plan ?? []) {
          const item = inventory.find((candidate) => candidate.id === allocation.inventoryId);
          expect(item).toBeDefined();
          if (!item) return;
          expect(gpuMatches(item, req.resources.gpu)).toBe(true);
          const free = freeOf(item);
          expect(allocation.gpu).toBeLessThanOrEqual(free.gpu);
          expect(allocation.cpuMillicores).toBeLessThanOrEqual(free.cpuMillicores);
          expect(allocation.memoryBytes <= free.memoryBytes).toBe(true);
          expect(allocation.storageBytes <= free.storageBytes).toBe(true);
        }
        expect(() => applyAllocations(inventory, plan ?? [])).not.toThrow();
      }),
      filteredRuns,
    );
  });

  it("covers every replica: allocations sum to count times the unit, as whole replicas per item", () => {
    fc.assert(
      fc.property(requirementArb(10), inventoryArb(6), (req, inventory) => {
        const plan = planPlacement(req, provider(), inventory);
        fc.pre(plan !== null);
        const { resources: unit, count } = req;
        const sum = (pick: (a: Allocation) => number) =>
          (plan ?? []).reduce((total, a) => total + pick(a), 0);
        const sumBig = (pick: (a: Allocation) => bigint) =>
          (plan ?? []).reduce((total, a) => total + pick(a), 0n);
        expect(sum((a) => a.gpu)).toBe(count * unit.gpu.units);
        expect(sum((a) => a.cpuMillicores)).toBe(count * unit.cpuMillicores);
        expect(sumBig((a) => a.memoryBytes)).toBe(BigInt(count) * unit.memoryBytes);
        expect(sumBig((a) => a.storageBytes)).toBe(BigInt(count) * unit.storageBytes);
        const ids = (plan ?? []).map((a) => a.inventoryId);
        expect(ids).toEqual([...new Set(ids)].sort());
      }),
      filteredRuns,
    );
  });

  it("once an order cannot be placed, one more replica cannot be placed either", () => {
    fc.assert(
      fc.property(requirementArb(12), inventoryArb(6), (req, inventory) => {
        fc.pre(planPlacement(req, provider(), inventory) === null);
        expect(planPlacement({ ...req, count: req.count + 1 }, provider(), inventory)).toBeNull();
      }),
    );
  });

  it("finds a placement exactly when an exhaustive search finds one", () => {
    fc.assert(
      fc.property(requirementArb(4), inventoryArb(4), (req, inventory) => {
        const planned = planPlacement(req, provider(), inventory) !== null;
        expect(planned).toBe(exhaustivelyPlaceable(req, inventory));
      }),
      { numRuns: 500 },
    );
  });

  it("never over-allocates an item when a group has several shapes", () => {
    const groupArb = fc.record({
      resources: unitArb,
      count: fc.integer({ min: 1, max: 4 }),
      additionalUnits: fc.array(fc.record({ resources: unitArb, count: fc.integer({ min: 1, max: 3 }) }), {
        minLength: 1,
        maxLength: 3,
      }),
      region: fc.constant(null),
      attributes: fc.constant({}),
      signedBy: fc.constant<SignedBy>({ allOf: [], anyOf: [] }),
    });
    fc.assert(
      fc.property(groupArb, inventoryArb(6), (req, inventory) => {
        const plan = planPlacement(req, provider(), inventory);
        fc.pre(plan !== null);
        expect(() => applyAllocations(inventory, plan ?? [])).not.toThrow();
        const shapes = [{ resources: req.resources, count: req.count }, ...req.additionalUnits];
        const totalGpu = shapes.reduce((sum, shape) => sum + shape.resources.gpu.units * shape.count, 0);
        expect((plan ?? []).reduce((sum, a) => sum + a.gpu, 0)).toBe(totalGpu);
      }),
      filteredRuns,
    );
  });

  it("applying a plan and then releasing it restores the original inventory", () => {
    fc.assert(
      fc.property(requirementArb(10), inventoryArb(6), (req, inventory) => {
        const plan = planPlacement(req, provider(), inventory);
        fc.pre(plan !== null);
        const applied = applyAllocations(inventory, plan ?? []);
        expect(releaseAllocations(applied, plan ?? [])).toEqual(inventory);
      }),
      filteredRuns,
    );
  });
});

/** Tries every way of putting each replica on some item; only for tiny inputs. */
function exhaustivelyPlaceable(req: OrderRequirement, inventory: readonly InventoryItem[]): boolean {
  const unit = req.resources;
  const frees = inventory.filter((item) => gpuMatches(item, unit.gpu)).map(freeOf);
  const place = (remaining: number): boolean => {
    if (remaining === 0) return true;
    return frees.some((free, index) => {
      const fits =
        free.gpu >= unit.gpu.units &&
        free.cpuMillicores >= unit.cpuMillicores &&
        free.memoryBytes >= unit.memoryBytes &&
        free.storageBytes >= unit.storageBytes;
      if (!fits) return false;
      frees[index] = {
        gpu: free.gpu - unit.gpu.units,
        cpuMillicores: free.cpuMillicores - unit.cpuMillicores,
        memoryBytes: free.memoryBytes - unit.memoryBytes,
        storageBytes: free.storageBytes - unit.storageBytes,
      };
      const placed = place(remaining - 1);
      frees[index] = free;
      return placed;
    });
  };
  return place(req.count);
}
