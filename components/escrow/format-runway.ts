const MINUTE = 60n;
const HOUR = 60n * MINUTE;
const DAY = 24n * HOUR;

/**
 * How long an escrow lasts, in the two largest units that matter: "2 d 3 h", "5 h 10 min",
 * "45 min", "less than a minute". Rounds down, so a runway is never overstated.
 */
export function formatRunway(seconds: bigint): string {
  if (seconds < MINUTE) return "less than a minute";
  if (seconds < HOUR) return `${seconds / MINUTE} min`;
  if (seconds < DAY) return joined(seconds / HOUR, "h", (seconds % HOUR) / MINUTE, "min");
  return joined(seconds / DAY, "d", (seconds % DAY) / HOUR, "h");
}

function joined(major: bigint, majorUnit: string, minor: bigint, minorUnit: string): string {
  return minor > 0n ? `${major} ${majorUnit} ${minor} ${minorUnit}` : `${major} ${majorUnit}`;
}
