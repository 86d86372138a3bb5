import type { FieldIssue } from "./types";

/**
 * What chain-sdk's generateManifest assumes of an SDL without checking it, checked before it runs.
 * It runs on the parsed YAML before Akash's schema has looked at it, so it reads `unknown` and says
 * nothing about values of the wrong type that the schema reports well; it names the fields that
 * chain-sdk would silently misread or fail on.
 *
 * - Sizes: chain-sdk lower-cases a size and reads /^([\d.]+)([a-z])([a-z]*)$/ with parseFloat,
 *   so junk is read as something ("1x" and "1Zi" as 1 byte, "1.5.5Gi" as 1.5 GiB, "1GiB" as 10^9
 *   bytes, "1Gb" — bits — as 10^9 bytes). Accepted are the forms it reads as written: a decimal
 *   number and an SI (k, K, M, G, T, P, E, optionally with B) or binary (Ki … Ei, or ki … ei) unit.
 *   Lower-case "m", "g" … alone are refused: Kubernetes reads "m" as milli, Docker "g" as GiB,
 *   chain-sdk as 10^6 and 10^9. A bare number of bytes is refused too: chain-sdk cannot read it.
 * - CPU: chain-sdk reads /^([\d.]+)([a-z]*)$/ and ignores any unit but "m" ("1abc" is 1 CPU) and
 *   sends fractions of a millicore on as they are ("0.00001" CPU, "1.5m"); Akash's Go parser takes
 *   whole millicores only. Accepted are CPUs ("0.5", 2) and millicores ("500m"), in whole
 *   millicores, at least one.
 * - GPU: chain-sdk reads a `units` string with parseInt ("1.5" and "2x" are 1 and 2 GPUs).
 * - Storage volumes: a `name` or `size` of the wrong type makes chain-sdk's error formatter throw.
 * - Endpoints: likewise for an entry under `endpoints` that is not `{ kind: ip }`.
 */
export function inputShapeIssues(sdl: unknown): FieldIssue[] {
  if (!isRecord(sdl)) return [];
  const issues: FieldIssue[] = [];
  const profiles = isRecord(sdl.profiles) ? sdl.profiles : {};
  const compute = isRecord(profiles.compute) ? profiles.compute : {};
  for (const [profile, definition] of Object.entries(compute)) {
    const resources = isRecord(definition) && isRecord(definition.resources) ? definition.resources : null;
    if (!resources) continue;
    const at = ["profiles", "compute", profile, "resources"];
    const { cpu, memory, storage, gpu } = resources;
    if (isRecord(cpu)) issues.push(...cpuUnitsIssues(cpu.units, [...at, "cpu", "units"]));
    if (isRecord(memory) && typeof memory.size === "string" && !isSize(memory.size)) {
      issues.push({ at: [...at, "memory", "size"], message: SIZE_MESSAGE });
    }
    issues.push(...storageIssues(storage, [...at, "storage"]));
    if (isRecord(gpu) && typeof gpu.units === "string" && !/^\d+$/.test(gpu.units)) {
      issues.push({ at: [...at, "gpu", "units"], message: '"units" must be a whole number of GPUs' });
    }
  }
  issues.push(...endpointIssues(sdl.endpoints));
  return issues;
}

const SIZE_MESSAGE = '"size" must be a number with a unit, like "512Mi", "20Gi" or "1Ti"';

/** At most 20 digits before the point, so no size overflows a float on its way to the limits. */
const SIZE_PATTERN = /^\d{1,20}(\.\d+)?([KMGTPE]i|[kmgtpe]i|[kKMGTPE]|[kKMGTPE]B)$/;

function isSize(value: string): boolean {
  return SIZE_PATTERN.test(value);
}

/** Akash's schema for `units` strings; what it refuses it reports itself. */
const SCHEMA_CPU_STRING = /^[0-9]+(\.[0-9]+)?[a-zA-Z]*$/;
const SCHEMA_CPU_ZERO = /^0+(\.0+)?m?$/;
const CPU_STRING = /^(\d+(?:\.\d+)?)(m?)$/;

function cpuUnitsIssues(units: unknown, at: string[]): FieldIssue[] {
  let millicores: number;
  if (typeof units === "number") {
    if (!(units > 0)) return [];
    millicores = units * 1000;
  } else if (typeof units === "string") {
    if (!SCHEMA_CPU_STRING.test(units) || SCHEMA_CPU_ZERO.test(units)) return [];
    const match = CPU_STRING.exec(units);
    if (!match) {
      return [{ at, message: '"units" must be a number of CPUs ("0.5", "2") or of millicores ("500m")' }];
    }
    millicores = match[2] === "m" ? Number(match[1]) : Number(match[1]) * 1000;
  } else {
    return [];
  }
  if (!Number.isFinite(millicores)) return [{ at, message: '"units" must be a finite number of CPUs' }];
  if (millicores < 1) return [{ at, message: '"units" must be at least 1 millicore ("1m" or 0.001 CPU)' }];
  // 1.1 CPUs is 1100.0000000000002 millicores in floating point, as chain-sdk computes it.
  if (Math.abs(millicores - Math.round(millicores)) > 1e-6) {
    return [
      {
        at,
        message:
          '"units" must be a whole number of millicores: CPUs with at most 3 decimals ("0.125") or "125m"',
      },
    ];
  }
  return [];
}

function storageIssues(storage: unknown, at: string[]): FieldIssue[] {
  const volumes = Array.isArray(storage) ? storage : [storage];
  return volumes.flatMap((volume: unknown, index) => {
    if (!isRecord(volume)) return [];
    const volumeAt = Array.isArray(storage) ? [...at, String(index)] : at;
    const issues: FieldIssue[] = [];
    if ("name" in volume && typeof volume.name !== "string") {
      issues.push({ at: [...volumeAt, "name"], message: '"name" must be a string, the volume\'s name' });
    }
    if ("size" in volume && (typeof volume.size !== "string" || !isSize(volume.size))) {
      issues.push({ at: [...volumeAt, "size"], message: SIZE_MESSAGE });
    }
    return issues;
  });
}

/** Akash's schema for endpoint names; other names get its own (working) pattern error. */
const ENDPOINT_NAME = /^[a-z]+[-_0-9a-z]+$/;

function endpointIssues(endpoints: unknown): FieldIssue[] {
  if (!isRecord(endpoints)) return [];
  const issues: FieldIssue[] = [];
  for (const [name, endpoint] of Object.entries(endpoints)) {
    if (!ENDPOINT_NAME.test(name)) continue;
    const at = ["endpoints", name];
    if (!isRecord(endpoint)) {
      issues.push({ at, message: `"${name}" must be a map like "kind: ip"` });
      continue;
    }
    for (const key of Object.keys(endpoint)) {
      if (key !== "kind")
        issues.push({ at: [...at, key], message: `Additional property "${key}" is not allowed` });
    }
    if ("kind" in endpoint && endpoint.kind !== "ip") {
      issues.push({ at: [...at, "kind"], message: '"kind" should be one of: ip' });
    }
  }
  return issues;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
