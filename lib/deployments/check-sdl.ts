import { resourcesToWire } from "@/lib/market/wire-format";
import { formatUsd } from "@/lib/money";
import { checkSdl } from "@/lib/sdl";
import { sdlOptions } from "./sdl-options";

/** The editor's live check: the verdict, and on success the orders the SDL would open. */
export async function checkSdlForEditor(sdl: string) {
  const result = await checkSdl(sdl, sdlOptions());
  if (!result.valid) {
    return { valid: false, groups: 0, manifestVersion: null, errors: result.errors, orders: [] };
  }
  return {
    valid: true,
    groups: result.groups.length,
    manifestVersion: result.manifestVersion,
    errors: [],
    orders: result.groups.map((group) => ({
      groupName: group.name,
      resources: resourcesToWire(group.requirement.resources),
      count: group.requirement.count,
      additionalUnits: group.requirement.additionalUnits.map((unit) => ({
        resources: resourcesToWire(unit.resources),
        count: unit.count,
      })),
      maxPricePerHour: formatUsd(group.maxPricePerHour),
    })),
  };
}
