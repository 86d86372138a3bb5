import { formatTokenDisplay, type Token } from "./token-amount";

/** "12.50 USDC" with the symbol set small, for the big numbers of stat cards. */
export function TokenValue({ units, token, prefix = "" }: { units: bigint; token: Token; prefix?: string }) {
  return (
    <>
      {prefix}
      {formatTokenDisplay(units, token.decimals)}
      <span className="ml-1 inline-block text-sm font-medium whitespace-nowrap text-slate-500">
        {token.symbol}
      </span>
    </>
  );
}
