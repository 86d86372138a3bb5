import {
  AttributesSchema,
  MAX_CPU_MILLICORES,
  MAX_GPUS_PER_ITEM,
  MAX_MEMORY_BYTES,
  MAX_REPLICAS,
  MAX_STORAGE_BYTES,
  RegionSchema,
} from "@/lib/market/market.schemas";
import type { AdditionalUnit, Attributes, GpuChoice, ResourceUnit } from "@/lib/market/types";
import { MAX_PRICE_PER_HOUR_MICROS, formatBytes, formatUsdDisplay } from "@/lib/money";
import {
  AKASH_USDC_IBC_DENOM,
  BLOCKS_PER_HOUR,
  denomRates,
  microUsdPerHour,
  parseDecAmount,
  unitScaledPerHour,
  type PricedUnit,
  type PricingDenomRates,
} from "./pricing";
import type { DeploymentGroupDraft, FieldIssue } from "./types";
import type { UnitSource } from "./unit-sources";

/**
 * chain-sdk GroupSpecs (what goes on chain for each SDL placement group) to orders of the market.
 * The rules are written down in docs/sdl-orders.md.
 *
 * The input is typed by shape, not by chain-sdk's generated protobuf types, so the rules stay
 * plain data in, plain data out.
 */
interface SpecAttribute {
  key: string;
  value: string;
}

interface SpecQuantity {
  val: Uint8Array;
}

export interface GroupSpecInput {
  name: string;
  requirements:
    | {
        attributes: readonly SpecAttribute[];
        signedBy: { allOf: readonly string[]; anyOf: readonly string[] } | undefined;
      }
    | undefined;
  resources: ReadonlyArray<{
    count: number;
    price: { denom: string; amount: string } | undefined;
    resource:
      | {
          cpu: { units: SpecQuantity | undefined } | undefined;
          memory: { quantity: SpecQuantity | undefined } | undefined;
          storage: ReadonlyArray<{
            name: string;
            quantity: SpecQuantity | undefined;
            attributes: readonly SpecAttribute[];
          }>;
          gpu: { units: SpecQuantity | undefined; attributes: readonly SpecAttribute[] } | undefined;
        }
      | undefined;
  }>;
}

export interface ToOrdersOptions {
  /** Micro-USD per 1 AKT, for prices in uakt. */
  aktPriceMicroUsd: bigint;
  /** unitSourcesByGroup of the same SDL: names the SDL field behind each value in errors. */
  sources: ReadonlyMap<string, readonly UnitSource[]>;
}

export type ToOrdersResult =
  { ok: true; drafts: DeploymentGroupDraft[] } | { ok: false; issues: FieldIssue[] };

export function toOrderDrafts(
  groupSpecs: readonly GroupSpecInput[],
  options: ToOrdersOptions,
): ToOrdersResult {
  const issues: FieldIssue[] = [];
  const rates = denomRates(options.aktPriceMicroUsd);
  const drafts = groupSpecs.map((spec) => draftOf(spec, sourcesOf(spec, options.sources), rates, issues));
  return issues.length > 0 ? { ok: false, issues } : { ok: true, drafts };
}

function sourcesOf(spec: GroupSpecInput, sources: ToOrdersOptions["sources"]): readonly UnitSource[] {
  const found = sources.get(spec.name);
  if (!found || found.length !== spec.resources.length) {
    throw new Error(`unit sources of group "${spec.name}" do not match its ${spec.resources.length} units`);
  }
  return found;
}

interface ReadUnit {
  resources: ResourceUnit;
  count: number;
  pricing: { denom: string; amountPerBlock: string };
  paths: UnitPaths;
}

function draftOf(
  spec: GroupSpecInput,
  sources: readonly UnitSource[],
  rates: PricingDenomRates,
  issues: FieldIssue[],
): DeploymentGroupDraft {
  const units: ReadUnit[] = spec.resources.map((unit, index) => {
    const paths = unitPaths(spec.name, sources[index]!);
    return {
      resources: resourceUnitOf(unit.resource, paths, issues),
      count: countOf(unit.count, paths, issues),
      pricing: { denom: unit.price?.denom ?? "", amountPerBlock: unit.price?.amount ?? "" },
      paths,
    };
  });
  const ordered = withLeadUnitFirst(units);
  const [lead, ...others] = ordered;
  if (!lead) throw new Error(`group "${spec.name}" has no resource units`);

  const { region, attributes } = placementOf(spec.name, spec.requirements?.attributes ?? [], issues);
  const additionalUnits: AdditionalUnit[] = others.map((unit) => ({
    resources: unit.resources,
    count: unit.count,
  }));
  return {
    name: spec.name,
    requirement: {
      resources: lead.resources,
      count: lead.count,
      additionalUnits,
      region,
      attributes,
      signedBy: {
        allOf: [...(spec.requirements?.signedBy?.allOf ?? [])],
        anyOf: [...(spec.requirements?.signedBy?.anyOf ?? [])],
      },
    },
    maxPricePerHour: groupPricePerHour(ordered, rates, issues),
    pricing: ordered.map((unit) => unit.pricing),
  };
}

/** The unit with the most GPUs leads the order (the first such unit on a tie); the rest keep their order. */
function withLeadUnitFirst(units: ReadUnit[]): ReadUnit[] {
  let leadIndex = 0;
  units.forEach((unit, index) => {
    if (unit.resources.gpu.units > units[leadIndex]!.resources.gpu.units) leadIndex = index;
  });
  return [units[leadIndex]!, ...units.filter((_, index) => index !== leadIndex)];
}

/**
 * Placement attributes as the market stores them: `region` apart (a slug, lower-cased, as for
 * orders created directly), the others held to the same rules as an order's attributes.
 */
function placementOf(
  group: string,
  pairs: readonly SpecAttribute[],
  issues: FieldIssue[],
): { region: string | null; attributes: Attributes } {
  const at = ["profiles", "placement", group, "attributes"];
  // fromEntries defines own properties, so even a "__proto__" attribute stays plain data.
  const record: Attributes = Object.fromEntries(
    pairs.filter(({ key }) => key !== "region").map(({ key, value }) => [key, value]),
  );
  let region: string | null = null;
  const regionValue = pairs.find(({ key }) => key === "region")?.value;
  if (regionValue !== undefined) {
    const parsedRegion = RegionSchema.safeParse(regionValue);
    if (parsedRegion.success) region = parsedRegion.data;
    else {
      const reason = parsedRegion.error.issues[0]?.message ?? "is not valid";
      issues.push({ at: [...at, "region"], message: `"region" ${reason}` });
    }
  }
  const parsed = AttributesSchema.safeParse(record);
  if (parsed.success) return { region, attributes: parsed.data };
  for (const issue of parsed.error.issues) {
    const key = typeof issue.path[0] === "string" ? issue.path[0] : undefined;
    if (key === undefined) {
      issues.push({ at, message: `"attributes" may hold ${issue.message}` });
    } else if (issue.code === "invalid_key") {
      const reason = issue.issues[0]?.message ?? issue.message;
      issues.push({ at: [...at, key], message: `"${key}" is not a valid attribute name: ${reason}` });
    } else {
      issues.push({ at: [...at, key], message: `"${key}" ${issue.message}` });
    }
  }
  return { region, attributes: record };
}

interface UnitPaths {
  cpu: string[];
  memory: string[];
  storage: string[];
  volume: (index: number) => string[];
  gpu: string[];
  gpuChoice: (vendor: string, index: number) => string[];
  count: string[];
  amount: string[];
  denom: string[];
}

function unitPaths(group: string, source: UnitSource): UnitPaths {
  const resources = ["profiles", "compute", source.profile, "resources"];
  const pricing = ["profiles", "placement", group, "pricing", source.profile];
  const firstService = source.services[0] ?? "";
  return {
    cpu: [...resources, "cpu", "units"],
    memory: [...resources, "memory", "size"],
    storage: [...resources, "storage"],
    volume: (index) =>
      source.storageIsList
        ? [...resources, "storage", String(index), "size"]
        : [...resources, "storage", "size"],
    gpu: [...resources, "gpu", "units"],
    gpuChoice: (vendor, index) => [...resources, "gpu", "attributes", "vendor", vendor, String(index)],
    count: ["deployment", firstService, group, "count"],
    amount: [...pricing, "amount"],
    denom: [...pricing, "denom"],
  };
}

const decoder = new TextDecoder();

/**
 * A chain-sdk quantity ("12000", "34359738368") as a whole number, rounded up. chain-sdk computes
 * CPU as units × 1000 in floating point, so "1.1" CPUs arrives as "1100.0000000000002"; rounding
 * to 6 decimals first drops that noise. Null when it is not a non-negative number ("NaN", "-1").
 */
function quantityOf(quantity: SpecQuantity | undefined): number | null {
  if (!quantity) return null;
  const text = decoder.decode(quantity.val);
  if (!/^\d+(\.\d+)?(e[+-]?\d+)?$/i.test(text)) return null;
  const value = Number(text);
  return Number.isFinite(value) ? Math.ceil(Number(value.toFixed(6))) : null;
}

function resourceUnitOf(
  resource: GroupSpecInput["resources"][number]["resource"],
  paths: UnitPaths,
  issues: FieldIssue[],
): ResourceUnit {
  const cpuMillicores = quantityOf(resource?.cpu?.units);
  if (cpuMillicores === null || cpuMillicores <= 0) {
    issues.push({ at: paths.cpu, message: '"units" must be a positive number of CPUs' });
  } else if (cpuMillicores > MAX_CPU_MILLICORES) {
    issues.push({
      at: paths.cpu,
      message: `"units" must be at most ${MAX_CPU_MILLICORES / 1000} CPUs per replica`,
    });
  }

  let memoryBytes = 0n;
  const memory = quantityOf(resource?.memory?.quantity);
  if (memory === null || memory <= 0) {
    issues.push({ at: paths.memory, message: '"size" must be greater than 0' });
  } else if (memory > MAX_MEMORY_BYTES) {
    issues.push({
      at: paths.memory,
      message: `"size" must be at most ${maxBytesText(MAX_MEMORY_BYTES)} per replica`,
    });
  } else {
    memoryBytes = BigInt(memory);
  }

  let storageBytes = 0n;
  let ramVolumeBytes = 0n;
  (resource?.storage ?? []).forEach((volume, index) => {
    const size = quantityOf(volume.quantity);
    if (size === null || size <= 0) {
      issues.push({ at: paths.volume(index), message: '"size" must be greater than 0' });
    } else if (size > MAX_STORAGE_BYTES) {
      issues.push({
        at: paths.volume(index),
        message: `"size" must be at most ${maxBytesText(MAX_STORAGE_BYTES)}`,
      });
    } else if (isRamVolume(volume.attributes)) {
      ramVolumeBytes += BigInt(size);
    } else {
      storageBytes += BigInt(size);
    }
  });
  if (storageBytes > BigInt(MAX_STORAGE_BYTES)) {
    issues.push({
      at: paths.storage,
      message: `"storage" must add up to at most ${maxBytesText(MAX_STORAGE_BYTES)} per replica (it is ${formatBytes(storageBytes)})`,
    });
  }
  if (memoryBytes > 0n && memoryBytes + ramVolumeBytes > BigInt(MAX_MEMORY_BYTES)) {
    issues.push({
      at: paths.memory,
      message: `"size" with the RAM volumes must be at most ${maxBytesText(MAX_MEMORY_BYTES)} per replica`,
    });
  }

  return {
    gpu: gpuOf(resource?.gpu, paths, issues),
    cpuMillicores: cpuMillicores ?? 0,
    memoryBytes: memoryBytes + ramVolumeBytes,
    storageBytes,
  };
}

/** A "ram" volume is a tmpfs (typically /dev/shm): it takes memory of the machine, not disk. */
function isRamVolume(attributes: readonly SpecAttribute[]): boolean {
  return attributes.some(({ key, value }) => key === "class" && value === "ram");
}

function maxBytesText(bytes: number): string {
  return formatBytes(BigInt(bytes));
}

function gpuOf(
  gpu: { units: SpecQuantity | undefined; attributes: readonly SpecAttribute[] } | undefined,
  paths: UnitPaths,
  issues: FieldIssue[],
): ResourceUnit["gpu"] {
  const unitsText = gpu?.units ? decoder.decode(gpu.units.val) : "0";
  const units = /^\d+$/.test(unitsText) ? Number(unitsText) : null;
  if (units === null) {
    issues.push({
      at: paths.gpu,
      message: `"units" must be a whole number of GPUs from 0 to ${MAX_GPUS_PER_ITEM}`,
    });
  } else if (units > MAX_GPUS_PER_ITEM) {
    issues.push({ at: paths.gpu, message: `"units" must be at most ${MAX_GPUS_PER_ITEM} GPUs per replica` });
  }
  const none = { units: 0, vendor: "nvidia", model: null, memoryGiB: null, choices: [] };
  if (!units) return none;

  const vendors = gpuVendorsOf(gpu?.attributes ?? [], paths, issues);
  const [first, ...more] = vendors;
  if (more.length > 0) {
    issues.push({
      at: paths.gpu.slice(0, -1).concat("attributes", "vendor"),
      message: '"vendor" may list one GPU vendor per profile',
    });
  }
  if (!first) return { ...none, units };
  return {
    units,
    vendor: first.vendor,
    model: null,
    memoryGiB: null,
    choices: first.anyModel ? [] : first.choices,
  };
}

interface GpuVendor {
  vendor: string;
  anyModel: boolean;
  choices: GpuChoice[];
}

/**
 * chain-sdk writes each listed GPU as an attribute key "vendor/<vendor>/model/<model>[/ram/<size>]
 * [/interface/<pcie|sxm>]", and "vendor/<vendor>/model/*" when the vendor lists no models.
 */
function gpuVendorsOf(
  attributes: readonly SpecAttribute[],
  paths: UnitPaths,
  issues: FieldIssue[],
): GpuVendor[] {
  const vendors: GpuVendor[] = [];
  for (const { key } of attributes) {
    const [kind, vendorName, ...rest] = key.split("/");
    if (kind !== "vendor" || !vendorName) continue;
    let vendor = vendors.find((entry) => entry.vendor === vendorName);
    if (!vendor) {
      vendor = { vendor: vendorName, anyModel: false, choices: [] };
      vendors.push(vendor);
    }
    const fields = new Map<string, string>();
    for (let index = 0; index + 1 < rest.length; index += 2) fields.set(rest[index]!, rest[index + 1]!);
    const model = fields.get("model");
    if (model === "*") {
      vendor.anyModel = true;
      continue;
    }
    const choicePath = paths.gpuChoice(vendorName, vendor.choices.length);
    // chain-sdk writes a list entry without `model` as the model "undefined".
    if (!model || model === "undefined") {
      issues.push({ at: choicePath, message: `each GPU listed under "${vendorName}" needs a "model"` });
      continue;
    }
    const ram = fields.get("ram");
    const memoryGiB = ram === undefined ? null : gibOf(ram);
    if (memoryGiB === undefined) {
      issues.push({ at: [...choicePath, "ram"], message: '"ram" must be a whole size in GiB like "80Gi"' });
    }
    vendor.choices.push({
      model: model.toLowerCase(),
      memoryGiB: memoryGiB ?? null,
      interface: fields.get("interface")?.toLowerCase() ?? null,
    });
  }
  return vendors;
}

/** GPU memory as written in SDLs: "80Gi", "24G", "48GB", "1Ti". Undefined when it is not a whole GiB size. */
function gibOf(ram: string): number | undefined {
  const match = /^(\d{1,6})\s*(gi|gib|g|gb|ti|tib|t|tb)$/i.exec(ram);
  if (!match) return undefined;
  const value = Number(match[1]);
  return match[2]!.toLowerCase().startsWith("t") ? value * 1024 : value;
}

function countOf(count: number, paths: UnitPaths, issues: FieldIssue[]): number {
  if (!Number.isInteger(count) || count < 1) {
    issues.push({ at: paths.count, message: '"count" must be a whole number of replicas, at least 1' });
  } else if (count > MAX_REPLICAS) {
    issues.push({
      at: paths.count,
      message: `"count" must be at most ${MAX_REPLICAS} replicas per group and profile (it adds up to ${count})`,
    });
  }
  return count;
}

function groupPricePerHour(
  units: readonly ReadUnit[],
  rates: PricingDenomRates,
  issues: FieldIssue[],
): bigint {
  const priced: Array<PricedUnit & { paths: UnitPaths }> = [];
  for (const unit of units) {
    const { denom, amountPerBlock } = unit.pricing;
    const amount = parseDecAmount(amountPerBlock);
    if (!rates.has(denom)) {
      issues.push({
        at: unit.paths.denom,
        message: `"denom" must be uact, uakt or USDC (${AKASH_USDC_IBC_DENOM}); this market does not take "${denom}"`,
      });
    } else if (amount === null) {
      issues.push({
        at: unit.paths.amount,
        message: '"amount" must be a decimal number with at most 18 decimals',
      });
    } else {
      priced.push({ denom, amount, count: unit.count, paths: unit.paths });
    }
  }
  if (priced.length < units.length) return 0n;

  const perHour = microUsdPerHour(priced, rates);
  if (perHour <= 0n) {
    issues.push({
      at: priced[0]!.paths.amount,
      message: `"amount" must come to at least $0.000001 per hour for the group (price per block × ${BLOCKS_PER_HOUR} blocks per hour × replicas)`,
    });
  } else if (perHour > MAX_PRICE_PER_HOUR_MICROS) {
    const costliest = priced.reduce((a, b) =>
      unitScaledPerHour(b, rates) > unitScaledPerHour(a, rates) ? b : a,
    );
    issues.push({
      at: costliest.paths.amount,
      message: `"amount" makes the group cost ${formatUsdDisplay(perHour)} per hour; at most ${formatUsdDisplay(MAX_PRICE_PER_HOUR_MICROS)} is allowed`,
    });
  }
  return perHour;
}
