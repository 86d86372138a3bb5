import { validationError } from "@/lib/errors";
import type { Hex } from "./chain-port";

/**
 * Token amounts, rates and runway: bigint base units only. A price of P base units per hour
 * streams at P * 1e18 / 3600 per second in the contract's 18-decimal fixed point (floored:
 * rounding never favours the payee).
 */
export const RATE_SCALE = 10n ** 18n;
const SECONDS_PER_HOUR = 3600n;
/** Largest amount one request may move: 10^12 whole tokens. */
const MAX_WHOLE_TOKENS = 10n ** 12n;

/** Hourly prices are micro-dollars; a USD-pegged token of `decimals` decimals counts the same dollar. */
export function tokenUnitsFromMicroUsd(micros: bigint, decimals: number): bigint {
  return decimals >= 6 ? micros * 10n ** BigInt(decimals - 6) : micros / 10n ** BigInt(6 - decimals);
}

export function ratePerSecond(pricePerHourUnits: bigint): bigint {
  return (pricePerHourUnits * RATE_SCALE) / SECONDS_PER_HOUR;
}

/** What `seconds` of a lease cost at `rate`, floored as the contract floors it. */
export function costOf(rate: bigint, seconds: bigint): bigint {
  return (rate * seconds) / RATE_SCALE;
}

/**
 * What a lease has run since its last settlement and not been paid yet (an estimate: the
 * contract pays only for receipts), from its start on chain and the seconds already settled.
 */
export function unsettledCost(rate: bigint, startedAt: Date, settledSeconds: number, now: Date): bigint {
  const elapsed = BigInt(Math.max(0, Math.floor((now.getTime() - startedAt.getTime()) / 1000)));
  const settled = BigInt(settledSeconds);
  return elapsed > settled ? costOf(rate, elapsed) - costOf(rate, settled) : 0n;
}

/** Seconds the balance lasts at the summed rate of the running leases; null when nothing runs. */
export function runwaySeconds(balance: bigint, totalRate: bigint): bigint | null {
  if (totalRate <= 0n) return null;
  if (balance <= 0n) return 0n;
  return (balance * RATE_SCALE) / totalRate;
}

/** Parses a positive decimal token amount ("25", "0.5") into base units; the error names `path`. */
export function parseTokenAmount(value: unknown, decimals: number, path: string): bigint {
  if (typeof value !== "string") throw validationError(path, 'must be a decimal string like "25.00"');
  const match = /^(\d+)(?:\.(\d+))?$/.exec(value.trim());
  if (!match || (match[1]!.length > 1 && match[1]!.startsWith("0"))) {
    if (/^-/.test(value.trim())) throw validationError(path, "must be greater than zero");
    throw validationError(path, 'must be a decimal string like "25.00"');
  }
  const fraction = match[2] ?? "";
  if (fraction.length > decimals) {
    throw validationError(path, `must have at most ${decimals} decimal places`);
  }
  const whole = BigInt(match[1]!);
  if (whole >= MAX_WHOLE_TOKENS) throw validationError(path, "is too large");
  const units = whole * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, "0") || "0");
  if (units <= 0n) throw validationError(path, "must be greater than zero");
  return units;
}

/** Canonical wire form of a token amount: all decimals, no grouping ("25.000000"). */
export function formatTokenAmount(units: bigint, decimals: number): string {
  const negative = units < 0n;
  const magnitude = negative ? -units : units;
  const scale = 10n ** BigInt(decimals);
  const whole = (magnitude / scale).toString();
  const fraction = decimals ? `.${(magnitude % scale).toString().padStart(decimals, "0")}` : "";
  return `${negative ? "-" : ""}${whole}${fraction}`;
}

/** A uuid as the contract's bytes32 id: its 16 bytes, left-padded with zeros. */
export function chainIdOf(uuid: string): Hex {
  const hex = uuid.replace(/-/g, "").toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(hex)) throw new Error(`not a uuid: ${uuid}`);
  return `0x${"0".repeat(32)}${hex}`;
}
