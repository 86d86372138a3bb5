import { formatBytes, formatUsdDisplay } from "@/lib/money";

/** Display formatting for pages: money per hour, sizes, relative times. */
export function perHour(micros: bigint): string {
  return `${formatUsdDisplay(micros)}/h`;
}

export function size(bytes: bigint | number): string {
  return formatBytes(BigInt(bytes));
}

export function cpu(millicores: number): string {
  const cores = millicores / 1000;
  return `${Number.isInteger(cores) ? cores : cores.toFixed(1)} vCPU`;
}

export function timeAgo(date: Date, now = new Date()): string {
  const seconds = Math.round((now.getTime() - date.getTime()) / 1000);
  if (seconds < 60) return `${Math.max(seconds, 0)} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86_400)} d ago`;
}
