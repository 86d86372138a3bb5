import { formatTokenAmount } from "@/lib/escrow/amounts";

/** The escrow's token as pages show it. */
export type Token = { symbol: string; decimals: number };

export function tokenOf(settings: { tokenSymbol: string; tokenDecimals: number }): Token {
  return { symbol: settings.tokenSymbol, decimals: settings.tokenDecimals };
}

/**
 * "1,234.50": the whole part grouped, at least 2 decimals, trailing zeros beyond 2 dropped.
 * `maxDecimals` cuts further digits off (never rounding up, so nothing is overstated).
 * Works on the bigint base units to the last digit; no JS number carries the amount.
 */
export function formatTokenDisplay(units: bigint, decimals: number, maxDecimals = decimals): string {
  const wire = formatTokenAmount(units, decimals);
  const negative = wire.startsWith("-");
  const [whole = "0", fraction = ""] = (negative ? wire.slice(1) : wire).split(".");
  const shown = fraction.slice(0, Math.max(maxDecimals, 2)).replace(/0+$/, "").padEnd(2, "0");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${negative ? "-" : ""}${grouped}.${shown}`;
}

/** "1234.50": the display form without grouping, as a form field takes it back. */
export function formatTokenInput(units: bigint, decimals: number): string {
  return formatTokenDisplay(units, decimals).replaceAll(",", "");
}

/** "1,234.50 USDC". */
export function formatTokens(units: bigint, token: Token): string {
  return `${formatTokenDisplay(units, token.decimals)} ${token.symbol}`;
}

/** An hourly rate in a dollar-pegged token, as prices show everywhere: "$1.95/h". */
export function formatTokenRate(unitsPerHour: bigint, token: Token): string {
  const amount = formatTokenDisplay(unitsPerHour, token.decimals);
  return amount.startsWith("-") ? `-$${amount.slice(1)}/h` : `$${amount}/h`;
}

/** Wire amounts inside a message ("exceeds your wallet's available 12.500000 USDC") in display form ("12.50"). */
export function withDisplayAmounts(text: string, token: Token): string {
  if (token.decimals === 0) return text;
  const wire = new RegExp(`\\b\\d+\\.\\d{${token.decimals}}\\b`, "g");
  return text.replace(wire, (amount) => {
    const [whole = "0", fraction = ""] = amount.split(".");
    return formatTokenDisplay(BigInt(whole + fraction), token.decimals);
  });
}
