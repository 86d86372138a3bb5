/**
 * USD amounts as bigint micro-dollars (6 decimals), and byte sizes as bigint.
 * No JS number ever carries money: parsing and formatting work on digit strings and bigint.
 */
import { validationError } from "@/lib/errors";

export const USD_DECIMALS = 6;
const MICROS_PER_USD = 10n ** BigInt(USD_DECIMALS);

/** Upper bound for any hourly price: 1,000,000 USD/hour. */
export const MAX_PRICE_PER_HOUR_MICROS = 1_000_000n * MICROS_PER_USD;

const USD_PATTERN = /^(0|[1-9]\d*)(\.\d{1,6})?$/;
const TOO_MANY_DECIMALS_PATTERN = /^(0|[1-9]\d*)\.\d{7,}$/;

/** Parses a plain non-negative decimal string ("2", "2.5", "2.450000") into micro-dollars. */
export function parseUsd(value: string, path: string): bigint {
  const micros = tryParseUsd(value);
  if (micros !== null) return micros;
  if (typeof value === "string" && TOO_MANY_DECIMALS_PATTERN.test(value)) {
    throw validationError(path, `must have at most ${USD_DECIMALS} decimal places`);
  }
  throw validationError(path, 'must be a decimal string like "2.50"');
}

export function tryParseUsd(value: unknown): bigint | null {
  if (typeof value !== "string") return null;
  const match = USD_PATTERN.exec(value);
  if (!match) return null;
  const whole = match[1] ?? "0";
  const fraction = (match[2] ?? ".").slice(1).padEnd(USD_DECIMALS, "0");
  return BigInt(whole) * MICROS_PER_USD + BigInt(fraction);
}

/** Canonical wire form: always 6 decimals, no grouping ("2.450000"). */
export function formatUsd(micros: bigint): string {
  const { sign, whole, fraction } = splitMicros(micros);
  return `${sign}${whole}.${fraction}`;
}

/** Human form: "$1,234.56789" — at least 2 decimals, trailing zeros beyond 2 trimmed. */
export function formatUsdDisplay(micros: bigint): string {
  const { sign, whole, fraction } = splitMicros(micros);
  const shownFraction = fraction.replace(/0+$/, "").padEnd(2, "0");
  return `${sign}$${groupThousands(whole)}.${shownFraction}`;
}

function splitMicros(micros: bigint): { sign: string; whole: string; fraction: string } {
  const magnitude = micros < 0n ? -micros : micros;
  return {
    sign: micros < 0n ? "-" : "",
    whole: (magnitude / MICROS_PER_USD).toString(),
    fraction: (magnitude % MICROS_PER_USD).toString().padStart(USD_DECIMALS, "0"),
  };
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

export const KiB = 1024n;
export const MiB = 1024n ** 2n;
export const GiB = 1024n ** 3n;
export const TiB = 1024n ** 4n;
export const PiB = 1024n ** 5n;

const BYTE_UNITS: ReadonlyArray<readonly [bigint, string]> = [
  [PiB, "PiB"],
  [TiB, "TiB"],
  [GiB, "GiB"],
  [MiB, "MiB"],
  [KiB, "KiB"],
];

/**
 * "80 GiB", "512 MiB", "1.5 TiB": the largest binary unit that keeps the value >= 1,
 * at most 2 decimals. Decimals are truncated, never rounded up, so a size is never overstated.
 */
export function formatBytes(bytes: bigint): string {
  if (bytes < 0n) return `-${formatBytes(-bytes)}`;
  const unit = BYTE_UNITS.find(([size]) => bytes >= size);
  if (!unit) return `${bytes} B`;
  const [size, name] = unit;
  const hundredths = (bytes * 100n) / size;
  const whole = hundredths / 100n;
  const fraction = (hundredths % 100n).toString().padStart(2, "0").replace(/0+$/, "");
  return fraction ? `${whole}.${fraction} ${name}` : `${whole} ${name}`;
}
