const TONES = {
  green: "bg-emerald-50 text-emerald-700 ring-emerald-600/20",
  blue: "bg-brand-50 text-brand-700 ring-brand-600/20",
  amber: "bg-amber-50 text-amber-800 ring-amber-600/20",
  red: "bg-red-50 text-red-700 ring-red-600/20",
  gray: "bg-slate-50 text-slate-600 ring-slate-500/20",
} as const;

export type Tone = keyof typeof TONES;

export function Badge({ tone = "gray", children }: { tone?: Tone; children: React.ReactNode }) {
  return (
    <span
      className={`inline-flex items-center rounded-md px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${TONES[tone]}`}
    >
      {children}
    </span>
  );
}

const STATE_TONES: Record<string, Tone> = {
  open: "blue",
  active: "green",
  lost: "gray",
  closed: "gray",
  insufficient_funds: "red",
  suspended: "red",
  free: "green",
  allocated: "amber",
  "partly allocated": "blue",
  revoked: "gray",
};

/** Order, bid, lease and account states, named as on Akash. */
export function StateBadge({ state }: { state: string }) {
  return <Badge tone={STATE_TONES[state] ?? "gray"}>{state.replaceAll("_", " ")}</Badge>;
}
