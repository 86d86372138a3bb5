import { createHash } from "node:crypto";
import { z } from "zod";
import type { LeaseWorkload, WorkloadPort, WorkloadService } from "./runtime/runtime";

/**
 * The tenant's Akash manifest as the provider receives it: its version check and the conversion
 * of the lease's group into the workload a runtime deploys. Pure apart from hashing.
 *
 * The version is sha256 of the exact manifest text (Akash's sorted JSON): the agent hashes the
 * bytes it received, never a re-serialization, so any change to what the tenant posted shows.
 */
export function manifestVersionOf(manifestJson: string): string {
  return createHash("sha256").update(manifestJson, "utf8").digest("hex");
}

export type ManifestCheck = { ok: true; version: string } | { ok: false; expected: string; actual: string };

export function checkManifestVersion(manifestJson: string, expectedVersion: string): ManifestCheck {
  const actual = manifestVersionOf(manifestJson);
  const expected = expectedVersion.toLowerCase();
  return actual === expected ? { ok: true, version: actual } : { ok: false, expected, actual };
}

/** A manifest that cannot be run: its message says why, for the tenant's event list. */
export class ManifestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ManifestError";
  }
}

const Quantity = z.object({ val: z.string().regex(/^\d+$/, { message: "must be a whole number" }) });
const Attribute = z.object({ key: z.string(), value: z.string() });

const ExposeSchema = z.object({
  port: z.number().int().min(1).max(65535),
  externalPort: z.number().int().min(0).max(65535).default(0),
  proto: z.string().default("TCP"),
  global: z.boolean().default(false),
  hosts: z.array(z.string()).nullable().default(null),
  service: z.string().default(""),
});

const ServiceSchema = z.object({
  name: z.string().min(1),
  image: z.string().min(1),
  command: z.array(z.string()).nullable().default(null),
  args: z.array(z.string()).nullable().default(null),
  env: z.array(z.string()).nullable().default(null),
  count: z.number().int().min(1),
  expose: z.array(ExposeSchema).nullable().default(null),
  resources: z.object({
    cpu: z.object({ units: Quantity }),
    memory: z.object({ size: Quantity }),
    storage: z
      .array(
        z.object({ name: z.string(), size: Quantity, attributes: z.array(Attribute).nullable().optional() }),
      )
      .nullable()
      .default(null),
    gpu: z
      .object({ units: Quantity, attributes: z.array(Attribute).nullable().optional() })
      .nullable()
      .optional(),
  }),
});

const ManifestSchema = z.array(z.object({ name: z.string(), services: z.array(ServiceSchema) }));
type ManifestGroup = z.infer<typeof ManifestSchema>[number];

export interface LeaseForWorkload {
  id: string;
  deploymentId: string;
  /** The manifest group the lease's order was made from; null: the manifest's only group. */
  groupName: string | null;
  manifestVersion: string;
}

/** The lease's manifest group as a workload; throws ManifestError when the manifest cannot be read. */
export function workloadOf(manifestJson: string, lease: LeaseForWorkload): LeaseWorkload {
  let json: unknown;
  try {
    json = JSON.parse(manifestJson);
  } catch {
    throw new ManifestError("the manifest is not JSON");
  }
  const parsed = ManifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ManifestError(
      `the manifest is not an Akash manifest: ${issue.path.join(".")} ${issue.message}`,
    );
  }
  const group = groupOf(parsed.data, lease.groupName);
  return {
    leaseId: lease.id,
    deploymentId: lease.deploymentId,
    groupName: group.name,
    manifestVersion: lease.manifestVersion,
    services: group.services.map(serviceOf),
  };
}

function groupOf(groups: ManifestGroup[], name: string | null): ManifestGroup {
  if (name === null) {
    if (groups.length === 1) return groups[0]!;
    throw new ManifestError(`the lease names no group and the manifest has ${groups.length}`);
  }
  const group = groups.find((candidate) => candidate.name === name);
  if (!group) {
    const names = groups.map((candidate) => candidate.name).join(", ") || "none";
    throw new ManifestError(`the manifest has no group "${name}" (it has: ${names})`);
  }
  return group;
}

function serviceOf(service: z.infer<typeof ServiceSchema>): WorkloadService {
  const { resources } = service;
  // As in the order (lib/sdl/to-orders.ts): a "ram" class volume is a tmpfs, so it takes memory, not disk.
  let ramBytes = 0n;
  let storageBytes = 0n;
  for (const volume of resources.storage ?? []) {
    const isRam = (volume.attributes ?? []).some(({ key, value }) => key === "class" && value === "ram");
    if (isRam) ramBytes += BigInt(volume.size.val);
    else storageBytes += BigInt(volume.size.val);
  }
  return {
    name: service.name,
    image: service.image,
    command: service.command,
    args: service.args,
    env: service.env ?? [],
    count: service.count,
    resources: {
      cpuMillicores: Number(resources.cpu.units.val),
      memoryBytes: BigInt(resources.memory.size.val) + ramBytes,
      storageBytes,
      gpu: gpuOf(resources.gpu ?? null),
    },
    expose: (service.expose ?? []).map(portOf),
  };
}

/**
 * GPU attribute keys are "vendor/<vendor>/model/<model>[/ram/<size>][/interface/<kind>]", or
 * "vendor/<vendor>/model/*" for any model of the vendor.
 */
function gpuOf(gpu: { units: { val: string }; attributes?: Array<{ key: string }> | null } | null) {
  const units = gpu ? Number(gpu.units.val) : 0;
  if (!gpu || units === 0) return { units: 0, models: [], vendor: null };
  const models: string[] = [];
  let vendor: string | null = null;
  for (const { key } of gpu.attributes ?? []) {
    const [kind, vendorName, ...rest] = key.split("/");
    if (kind !== "vendor" || !vendorName) continue;
    vendor ??= vendorName.toLowerCase();
    const modelIndex = rest.indexOf("model");
    const model = modelIndex === -1 ? undefined : rest[modelIndex + 1]?.toLowerCase();
    if (model && model !== "*" && !models.includes(model)) models.push(model);
  }
  return { units, models, vendor };
}

function portOf(expose: z.infer<typeof ExposeSchema>): WorkloadPort {
  return {
    port: expose.port,
    externalPort: expose.externalPort,
    proto: expose.proto.toUpperCase() === "UDP" ? "UDP" : "TCP",
    global: expose.global,
    hosts: expose.hosts ?? [],
    service: expose.service,
  };
}
