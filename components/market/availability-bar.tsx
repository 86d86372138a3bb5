/** Free out of total GPUs, as numbers and a thin bar. */
export function AvailabilityBar({ free, total }: { free: number; total: number }) {
  const percent = total > 0 ? Math.round((free / total) * 100) : 0;
  return (
    <div className="min-w-24">
      <div className="tabular-nums">
        <span className="font-semibold text-slate-900">{free}</span>
        <span className="text-slate-500"> / {total} free</span>
      </div>
      <div
        className="mt-1 h-1.5 w-full overflow-hidden rounded-full bg-slate-100"
        role="meter"
        aria-label="GPUs free"
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={free}
      >
        <div
          className={`h-full rounded-full ${percent > 30 ? "bg-emerald-500" : percent > 0 ? "bg-amber-500" : "bg-slate-300"}`}
          style={{ width: `${percent}%` }}
        />
      </div>
    </div>
  );
}
