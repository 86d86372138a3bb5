"use client";

import { useCopy } from "@/components/ui/use-copy";

const COPIED_MS = 2000;

/** Copies `text` to the clipboard and says so for a moment. */
export function CopyButton({ text, label = "Copy", what }: { text: string; label?: string; what: string }) {
  const [state, copy] = useCopy(text, COPIED_MS);

  return (
    <button
      type="button"
      onClick={() => void copy()}
      aria-label={`${label} ${what}`}
      className="inline-flex items-center rounded-md px-1.5 py-0.5 text-xs font-semibold text-brand-600 hover:bg-brand-50 focus-visible:outline-2 focus-visible:outline-brand-600"
    >
      <span aria-live="polite">
        {state === "copied" ? "Copied" : state === "failed" ? "Copy failed" : label}
      </span>
    </button>
  );
}
