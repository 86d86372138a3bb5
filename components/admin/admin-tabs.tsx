"use client";

import Link from "next/link";
import { useEffect, useRef } from "react";

/**
 * Section links of the admin page; each is a plain URL so a filtered view can be shared.
 * On a phone the row scrolls sideways, so the current section is scrolled into view.
 */
export function AdminTabs({
  tabs,
  current,
}: {
  tabs: { id: string; label: string; count?: number }[];
  current: string;
}) {
  const currentLink = useRef<HTMLAnchorElement>(null);

  useEffect(() => {
    currentLink.current?.scrollIntoView({ block: "nearest", inline: "nearest" });
  }, [current]);

  return (
    <nav aria-label="Admin sections" className="-mx-4 mb-4 overflow-x-auto px-4 sm:mx-0 sm:px-0">
      <ul className="flex min-w-max gap-1 border-b border-slate-200">
        {tabs.map((tab) => {
          const active = tab.id === current;
          return (
            <li key={tab.id}>
              <Link
                ref={active ? currentLink : undefined}
                href={`/admin?tab=${tab.id}`}
                aria-current={active ? "page" : undefined}
                className={`-mb-px inline-flex items-center gap-2 border-b-2 px-3 py-2 text-sm font-medium ${
                  active
                    ? "border-brand-600 text-brand-700"
                    : "border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900"
                }`}
              >
                {tab.label}
                {tab.count !== undefined && (
                  <span className="rounded-full bg-slate-100 px-1.5 text-xs tabular-nums text-slate-600">
                    {tab.count}
                  </span>
                )}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
