import type { SDLInput } from "@akashnetwork/chain-sdk/web";

/** Where one resource unit of a chain-sdk GroupSpec comes from in the SDL, to name fields in errors. */
export interface UnitSource {
  profile: string;
  /** Services deployed with this profile in this group; their counts add up to the unit's count. */
  services: string[];
  /** The profile writes `storage:` as a list, so volume paths carry an index. */
  storageIsList: boolean;
}

/**
 * For each placement group, the compute profile behind each resource unit, in the order
 * chain-sdk's generateManifest creates units: services by name (localeCompare), then each
 * service's placements in document order; a profile already used in the group adds to its unit.
 */
export function unitSourcesByGroup(sdl: SDLInput): Map<string, UnitSource[]> {
  const byGroup = new Map<string, UnitSource[]>();
  const serviceNames = Object.keys(sdl.services).sort((a, b) => a.localeCompare(b));
  for (const service of serviceNames) {
    for (const [group, deployment] of Object.entries(sdl.deployment[service] ?? {})) {
      const units = byGroup.get(group) ?? [];
      byGroup.set(group, units);
      const existing = units.find((unit) => unit.profile === deployment.profile);
      if (existing) {
        existing.services.push(service);
        continue;
      }
      const storage = sdl.profiles.compute[deployment.profile]?.resources.storage;
      units.push({ profile: deployment.profile, services: [service], storageIsList: Array.isArray(storage) });
    }
  }
  return byGroup;
}
