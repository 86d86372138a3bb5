import type { TimelineStep } from "@/lib/deployments/timeline";
import { TimeAgo } from "./time-ago";

type StepState = "done" | "current" | "upcoming";

/**
 * What happened to a deployment, oldest first, then what comes next in grey: posted, bids,
 * lease, manifest delivered, running (per placement group), closed.
 */
export function DeploymentTimeline({
  steps,
  active,
  now,
}: {
  steps: TimelineStep[];
  active: boolean;
  now: Date;
}) {
  const firstUpcoming = steps.findIndex((step) => step.at === null);
  return (
    <ol className="relative" aria-label="Timeline">
      {steps.map((step, index) => {
        const state: StepState = step.at
          ? "done"
          : index === firstUpcoming && active
            ? "current"
            : "upcoming";
        const last = index === steps.length - 1;
        return (
          <li
            key={`${step.kind}:${step.orderId ?? ""}:${index}`}
            data-testid="timeline-step"
            data-kind={step.kind}
            data-state={state}
            className="relative flex gap-3 pb-5 last:pb-0"
          >
            {!last && (
              <span
                aria-hidden
                className={`absolute top-5 bottom-0 left-[9px] w-0.5 ${step.at ? "bg-brand-600/30" : "bg-slate-200"}`}
              />
            )}
            <span aria-hidden className="relative mt-0.5 flex h-5 w-5 shrink-0 items-center justify-center">
              {state === "done" ? (
                <span
                  className={`flex h-5 w-5 items-center justify-center rounded-full text-[11px] font-bold text-white ${
                    step.kind === "closed" ? "bg-slate-500" : "bg-brand-600"
                  }`}
                >
                  ✓
                </span>
              ) : state === "current" ? (
                <span className="flex h-5 w-5 items-center justify-center rounded-full bg-white ring-2 ring-brand-600">
                  <span className="h-2 w-2 animate-pulse rounded-full bg-brand-600" />
                </span>
              ) : (
                <span className="h-3.5 w-3.5 rounded-full bg-white ring-2 ring-slate-300" />
              )}
            </span>
            <div className="min-w-0 flex-1">
              <p className="flex flex-wrap items-baseline justify-between gap-x-3 text-sm">
                <span
                  className={`font-semibold ${state === "upcoming" ? "text-slate-400" : "text-slate-900"}`}
                >
                  {step.title}
                  <span className="sr-only">
                    {state === "done" ? " (done)" : state === "current" ? " (in progress)" : " (to come)"}
                  </span>
                </span>
                {step.at && (
                  <span className="text-xs text-slate-500">
                    <TimeAgo date={step.at} now={now} />
                  </span>
                )}
              </p>
              <p className={`text-xs ${state === "upcoming" ? "text-slate-400" : "text-slate-600"}`}>
                {step.detail}
              </p>
            </div>
          </li>
        );
      })}
    </ol>
  );
}
