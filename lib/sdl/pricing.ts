/**
 * SDL prices are Cosmos DecCoins per block per replica. The market prices orders in micro-USD
 * per hour, so a block time has to be assumed: Akash targets 6 seconds.
 */
export const BLOCK_TIME_SECONDS = 6;
export const BLOCKS_PER_HOUR = 3600 / BLOCK_TIME_SECONDS;

/** USDC bridged to Akash mainnet over IBC (channel-0 from Noble); 6 decimals like uact. */
export const AKASH_USDC_IBC_DENOM = "ibc/170C677610AC31DF0904FFE09CD3B5C657492170E7E52372E48756B71E56F2F1";

/** A DecCoin amount has 18 decimals (cosmos-sdk LegacyDec). */
const DEC_DECIMALS = 18;
const DEC_SCALE = 10n ** BigInt(DEC_DECIMALS);
/** Rates are micro-USD per million base units, so uakt at a 6-decimal USD price stays exact. */
const RATE_SCALE = 1_000_000n;
const MAX_AMOUNT_CHARACTERS = 64;
const MAX_EXPONENT = 64;

export type PricingDenomRates = ReadonlyMap<string, bigint>;

/** Micro-USD per 1,000,000 base units of each denom the market accepts. */
export function denomRates(aktPriceMicroUsd: bigint): PricingDenomRates {
  return new Map([
    ["uact", RATE_SCALE],
    [AKASH_USDC_IBC_DENOM, RATE_SCALE],
    ["uakt", aktPriceMicroUsd],
  ]);
}

/**
 * A DecCoin amount as an integer number of 1e-18 units. Accepts what chain-sdk passes through:
 * "1000", "0.25", and the exponent form a YAML number turns into ("1e-7"). Null when it is not a
 * non-negative decimal or has more than 18 decimals.
 */
export function parseDecAmount(amount: string): bigint | null {
  // Bounds the bigint work; no real price is this long.
  if (amount.length > MAX_AMOUNT_CHARACTERS) return null;
  const match = /^(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(amount);
  if (!match) return null;
  const [, whole = "", fraction = "", exponentText = "0"] = match;
  const exponent = Number(exponentText);
  if (Math.abs(exponent) > MAX_EXPONENT) return null;
  const digits = BigInt(whole + fraction);
  const shift = DEC_DECIMALS - fraction.length + exponent;
  if (shift >= 0) return digits * 10n ** BigInt(shift);
  const divisor = 10n ** BigInt(-shift);
  return digits % divisor === 0n ? digits / divisor : null;
}

export interface PricedUnit {
  denom: string;
  /** parseDecAmount of the SDL amount, per block per replica. */
  amount: bigint;
  count: number;
}

/**
 * Σ amount × count × blocks per hour × rate, exact, rounded down to whole micro-USD.
 * Every denom must be in `rates`.
 */
export function microUsdPerHour(units: readonly PricedUnit[], rates: PricingDenomRates): bigint {
  let scaled = 0n;
  for (const unit of units) scaled += unitScaledPerHour(unit, rates);
  return scaled / (DEC_SCALE * RATE_SCALE);
}

/** One unit's hourly cost in 1e-24 micro-USD, for comparing units without rounding. */
export function unitScaledPerHour(unit: PricedUnit, rates: PricingDenomRates): bigint {
  const rate = rates.get(unit.denom);
  if (rate === undefined) throw new Error(`no rate for denom ${unit.denom}`);
  return unit.amount * BigInt(unit.count) * BigInt(BLOCKS_PER_HOUR) * rate;
}
