import { describe, expect, it } from "vitest";
import { z } from "zod";
import { BidFormSchema, parseInventoryForm, parseProviderForm } from "./provider-forms.schemas";

function form(entries: [string, string][]): FormData {
  const data = new FormData();
  for (const [key, value] of entries) data.append(key, value);
  return data;
}

const inventory = (overrides: Record<string, string> = {}) =>
  form(
    Object.entries({
      gpuVendor: "nvidia",
      gpuModel: "H100",
      gpuMemoryGiB: "80",
      gpuInterface: "sxm",
      gpuCount: "8",
      cpuCores: "128",
      memoryGiB: "2048",
      storageGiB: "30720",
      ...overrides,
    }),
  );

function issuePaths(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof z.ZodError) return error.issues.map((issue) => issue.path.join("."));
    throw error;
  }
  throw new Error("expected a validation error");
}

describe("parseInventoryForm", () => {
  it("turns cores and GiB into millicores and bytes, and lowercases the model", () => {
    expect(parseInventoryForm(inventory({ cpuCores: "0.5" }))).toEqual({
      gpu: { vendor: "nvidia", model: "h100", memoryGiB: 80, interface: "sxm", count: 8 },
      cpuMillicores: 500,
      memoryBytes: 2048 * 1024 ** 3,
      storageBytes: 30720 * 1024 ** 3,
    });
  });

  it("reads fractional cores digit by digit", () => {
    expect(parseInventoryForm(inventory({ cpuCores: "2.125" })).cpuMillicores).toBe(2125);
  });

  it("names every bad field at once, in the form's own field names", () => {
    const paths = issuePaths(() =>
      parseInventoryForm(
        inventory({ gpuModel: "RTX 4090", gpuCount: "0", cpuCores: "1.2345", storageGiB: "" }),
      ),
    );
    expect(paths.sort()).toEqual(["cpuCores", "gpuCount", "gpuModel", "storageGiB"]);
  });

  it("rejects memory above 64 TiB before it reaches the byte schema", () => {
    expect(issuePaths(() => parseInventoryForm(inventory({ memoryGiB: String(64 * 1024 + 1) })))).toEqual([
      "memoryGiB",
    ]);
  });
});

describe("parseProviderForm", () => {
  const base: [string, string][] = [
    ["name", "Hopper Compute"],
    ["hostUri", " https://provider.example:8443 "],
    ["region", "us-west"],
  ];

  it("collects key=value rows and skips blank ones", () => {
    const parsed = parseProviderForm(
      form([...base, ["attrKey", "tier"], ["attrValue", "datacenter"], ["attrKey", ""], ["attrValue", ""]]),
    );
    expect(parsed.attributes).toEqual({ tier: "datacenter" });
    expect(parsed.hostUri).toBe("https://provider.example:8443");
  });

  it("reports a value without a key and a repeated key under attributes", () => {
    const paths = issuePaths(() =>
      parseProviderForm(
        form([
          ...base,
          ["attrKey", ""],
          ["attrValue", "orphan"],
          ["attrKey", "tier"],
          ["attrValue", "a"],
          ["attrKey", "tier"],
          ["attrValue", "b"],
        ]),
      ),
    );
    expect(paths).toEqual(["attributes", "attributes"]);
  });
});

describe("BidFormSchema", () => {
  it("parses the price into micro-dollars", () => {
    expect(BidFormSchema.parse({ orderId: "o1", pricePerHour: "2.45" }).pricePerHour).toBe(2_450_000n);
  });

  it("rejects a price with 7 decimals", () => {
    expect(BidFormSchema.safeParse({ orderId: "o1", pricePerHour: "2.4500001" }).success).toBe(false);
  });
});
