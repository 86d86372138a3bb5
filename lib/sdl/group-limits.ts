import { isRecord } from "./input-shapes";
import { MAX_PLACEMENT_GROUPS, MAX_UNITS_PER_GROUP } from "./limits";
import type { FieldIssue } from "./types";

/**
 * Each placement group becomes an order and each compute profile in it a resource unit, so their
 * numbers are bounded before chain-sdk builds anything. Read from `deployment` as written (before
 * Akash's schema has looked at it): `deployment.<service>.<placement>.profile`.
 */
export function groupLimitIssues(sdl: unknown): FieldIssue[] {
  const deployment = isRecord(sdl) && isRecord(sdl.deployment) ? sdl.deployment : {};
  const profilesByGroup = new Map<string, Set<string>>();
  for (const placements of Object.values(deployment)) {
    if (!isRecord(placements)) continue;
    for (const [group, placed] of Object.entries(placements)) {
      const profiles = profilesByGroup.get(group) ?? new Set<string>();
      profilesByGroup.set(group, profiles);
      if (isRecord(placed) && typeof placed.profile === "string") profiles.add(placed.profile);
    }
  }
  if (profilesByGroup.size > MAX_PLACEMENT_GROUPS) {
    return [
      {
        at: ["deployment"],
        message: `"deployment" uses ${profilesByGroup.size} placement groups; at most ${MAX_PLACEMENT_GROUPS} are allowed per SDL (each becomes an order)`,
      },
    ];
  }
  const issues: FieldIssue[] = [];
  for (const [group, profiles] of profilesByGroup) {
    if (profiles.size > MAX_UNITS_PER_GROUP) {
      issues.push({
        at: ["profiles", "placement", group],
        message: `"${group}" runs ${profiles.size} compute profiles; at most ${MAX_UNITS_PER_GROUP} are allowed per placement group (each is a resource unit)`,
      });
    }
  }
  return issues;
}

/** An SDL that deploys nothing would create a deployment without orders. */
export function emptyDeploymentIssues(sdl: unknown, groupCount: number): FieldIssue[] {
  if (groupCount > 0) return [];
  const services = isRecord(sdl) && isRecord(sdl.services) ? sdl.services : {};
  return Object.keys(services).length === 0
    ? [{ at: ["services"], message: '"services" must define at least one service' }]
    : [{ at: ["deployment"], message: '"deployment" must place at least one service in a placement group' }];
}
