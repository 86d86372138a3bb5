import type { ReactNode } from "react";

/** One labelled amount inside a card (a Stat without its own card), e.g. "Balance 50.00 USDC". */
export function MoneyFigure({
  label,
  value,
  hint,
  emphasis = false,
  testId,
}: {
  label: string;
  value: ReactNode;
  hint?: ReactNode;
  emphasis?: boolean;
  testId?: string;
}) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
      <dd
        data-testid={testId}
        className={`mt-0.5 font-semibold tabular-nums break-words text-slate-900 ${emphasis ? "text-xl sm:text-2xl" : "text-base"}`}
      >
        {value}
      </dd>
      {hint && <dd className="text-xs text-slate-500">{hint}</dd>}
    </div>
  );
}
