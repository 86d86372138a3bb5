"use client";

import { Button } from "@/components/ui/button";
import { useCopy } from "@/components/ui/use-copy";

/** A read-only box holding a secret shown once, with a copy button. */
export function CopySecret({ value, label }: { value: string; label: string }) {
  const [copied, copy] = useCopy(value);
  return (
    <div className="flex flex-col gap-2 sm:flex-row">
      <input
        readOnly
        aria-label={label}
        value={value}
        onFocus={(event) => event.currentTarget.select()}
        className="min-w-0 flex-1 rounded-md border-0 bg-white px-3 py-2 font-mono text-sm text-slate-900 ring-1 ring-inset ring-amber-300"
      />
      <Button variant="secondary" onClick={() => void copy()}>
        {copied === "copied" ? "Copied ✓" : "Copy"}
      </Button>
      <span role="status" className="sr-only">
        {copied === "copied"
          ? "Key copied to the clipboard"
          : copied === "failed"
            ? "Copy failed; select the key and copy it"
            : ""}
      </span>
    </div>
  );
}
