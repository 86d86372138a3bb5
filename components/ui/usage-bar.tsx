/** A small allocated-vs-total bar with its numbers, e.g. "3 / 8 in use". */
export function UsageBar({ used, total, label }: { used: number; total: number; label: string }) {
  const percent = total > 0 ? Math.min(100, Math.round((used / total) * 100)) : 0;
  return (
    <div className="flex min-w-28 items-center gap-2">
      <div
        role="meter"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={used}
        aria-valuetext={`${used} of ${total} in use`}
        className="h-1.5 w-16 overflow-hidden rounded-full bg-emerald-100"
      >
        <div className="h-full rounded-full bg-amber-500" style={{ width: `${percent}%` }} />
      </div>
      <span className="whitespace-nowrap text-xs tabular-nums text-slate-600">
        {total - used} free <span className="text-slate-400">/ {total}</span>
      </span>
    </div>
  );
}
