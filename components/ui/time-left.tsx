"use client";

import { useEffect, useState } from "react";

function describe(msLeft: number): string {
  if (msLeft <= 0) return "expired";
  const seconds = Math.floor(msLeft / 1000);
  if (seconds < 60) return `${seconds}s left`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, "0")}s left`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h ${String(minutes % 60).padStart(2, "0")}m left`;
  return `${Math.floor(hours / 24)}d left`;
}

/** A countdown to `until` (ISO time) that ticks every second; amber in its last minute. */
export function TimeLeft({ until }: { until: string }) {
  const deadline = new Date(until).getTime();
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);

  const msLeft = deadline - now;
  const tone = msLeft <= 0 ? "text-slate-400" : msLeft < 60_000 ? "text-amber-700" : "text-slate-600";
  return (
    <time
      dateTime={until}
      title={new Date(until).toUTCString()}
      className={`tabular-nums ${tone}`}
      suppressHydrationWarning
    >
      {describe(msLeft)}
    </time>
  );
}
