/** "4 min 05 s", "3 h 12 min", "2 d 4 h", or "expired": what is left until `until`. */
export function timeLeft(until: Date | number, now: Date | number): string {
  const seconds = Math.floor((Number(until) - Number(now)) / 1000);
  if (seconds <= 0) return "expired";
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, "0")} s`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
  return `${Math.floor(seconds / 86_400)} d ${Math.floor((seconds % 86_400) / 3600)} h`;
}

/** True within the last `seconds` before `until`: time to warn. */
export function endsWithin(until: Date | number, now: Date | number, seconds: number): boolean {
  const left = Number(until) - Number(now);
  return left > 0 && left <= seconds * 1000;
}
