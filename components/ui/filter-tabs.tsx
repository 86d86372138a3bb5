import Link from "next/link";

/**
 * A row of filter links with counts ("All 12 · Open 3 · …"), each a plain URL so a filtered
 * view can be shared; scrolls sideways on a phone when it does not fit.
 */
export function FilterTabs({
  label,
  tabs,
}: {
  /** What the links filter, for screen readers: "Filter orders by state". */
  label: string;
  tabs: { href: string; label: string; count: number; active: boolean }[];
}) {
  return (
    <nav aria-label={label} className="flex max-w-full gap-1 overflow-x-auto rounded-lg bg-slate-100 p-0.5">
      {tabs.map((tab) => (
        <Link
          key={tab.href}
          href={tab.href}
          aria-current={tab.active ? "page" : undefined}
          className={`whitespace-nowrap rounded-md px-2.5 py-1 text-xs font-semibold ${
            tab.active ? "bg-white text-slate-900 shadow-xs" : "text-slate-600 hover:text-slate-900"
          }`}
        >
          {tab.label} <span className="font-normal tabular-nums text-slate-500">{tab.count}</span>
        </Link>
      ))}
    </nav>
  );
}
