import type { ReactNode } from "react";

/**
 * A table on wider screens that becomes a list of small cards on a phone: each row is a
 * two-column grid and every cell shows its own label, so nothing needs sideways scrolling
 * and row actions stay in reach.
 */
export function StackTable({ head, children }: { head: ReactNode[]; children: ReactNode }) {
  return (
    <div className="sm:overflow-x-auto">
      <table className="min-w-full text-sm max-sm:block">
        <thead className="max-sm:sr-only">
          <tr className="border-b border-slate-200">
            {head.map((cell, index) => (
              <th
                key={index}
                scope="col"
                className="whitespace-nowrap px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-500 first:pl-0 last:pr-0"
              >
                {cell}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 max-sm:block">{children}</tbody>
      </table>
    </div>
  );
}

export function StackRow({ children, className = "" }: { children: ReactNode; className?: string }) {
  return (
    <tr className={`max-sm:grid max-sm:grid-cols-2 max-sm:gap-x-4 max-sm:gap-y-3 max-sm:py-4 ${className}`}>
      {children}
    </tr>
  );
}

/**
 * One cell; `label` is what a phone shows above the value. `primary` spans the card's
 * width on a phone (the row's title); `actions` sits right-aligned on wide screens and
 * under the card's data on a phone.
 */
export function StackCell({
  label,
  children,
  className = "",
  primary = false,
  actions = false,
}: {
  label: string;
  children: ReactNode;
  className?: string;
  primary?: boolean;
  actions?: boolean;
}) {
  const layout = primary || actions ? "max-sm:col-span-2" : "";
  const align = actions ? "sm:text-right" : "";
  return (
    <td
      className={`whitespace-nowrap px-3 py-2.5 align-middle text-slate-700 first:pl-0 last:pr-0 max-sm:whitespace-normal max-sm:p-0 max-sm:empty:hidden ${layout} ${align} ${className}`}
    >
      {!primary && !actions && (
        <span className="mb-0.5 block text-[11px] font-medium uppercase tracking-wide text-slate-400 sm:hidden">
          {label}
        </span>
      )}
      {children}
    </td>
  );
}
