import { perHour } from "@/lib/format";

const WIDTH = 120;
const HEIGHT = 32;
const PAD = 3;

/**
 * An inline SVG line of prices (micro-USD), oldest on the left. Pixel positions are worked
 * out in bigint and only the final coordinates become numbers, so no price passes through
 * a float.
 */
export function PriceSparkline({ prices, label }: { prices: bigint[]; label: string }) {
  if (prices.length === 0) {
    return <span className="text-xs text-slate-400">no leases yet</span>;
  }
  const min = prices.reduce((a, b) => (b < a ? b : a));
  const max = prices.reduce((a, b) => (b > a ? b : a));
  const span = max - min;
  const innerHeight = BigInt(HEIGHT - 2 * PAD);
  const y = (price: bigint) =>
    PAD + Number(span === 0n ? innerHeight / 2n : ((max - price) * innerHeight) / span);
  const x = (index: number) =>
    prices.length === 1 ? WIDTH / 2 : PAD + (index * (WIDTH - 2 * PAD)) / (prices.length - 1);
  const points = prices.map((price, index) => `${x(index).toFixed(1)},${y(price).toFixed(1)}`);
  const last = prices.length - 1;
  const description = `${label}: ${prices.length} recent winning price${prices.length === 1 ? "" : "s"} from ${perHour(min)} to ${perHour(max)}, latest ${perHour(prices[last]!)}`;

  return (
    <svg
      role="img"
      aria-label={description}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      width={WIDTH}
      height={HEIGHT}
      className="overflow-visible"
    >
      <title>{description}</title>
      <line x1={0} x2={WIDTH} y1={HEIGHT - 1} y2={HEIGHT - 1} className="stroke-slate-200" strokeWidth={1} />
      {prices.length > 1 && (
        <polyline
          points={points.join(" ")}
          fill="none"
          className="stroke-brand-500"
          strokeWidth={1.75}
          strokeLinejoin="round"
          strokeLinecap="round"
        />
      )}
      <circle cx={x(last)} cy={y(prices[last]!)} r={2.75} className="fill-brand-600" />
    </svg>
  );
}
