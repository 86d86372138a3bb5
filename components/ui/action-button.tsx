"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import type { ActionResult } from "./action-result";
import { Button } from "./button";

/**
 * A button that runs a bound server action, refreshes the page's server data on success and
 * shows the action's error next to itself. `confirm` asks first (for closing things).
 */
export function ActionButton({
  action,
  label,
  pendingLabel,
  variant = "secondary",
  size = "sm",
  confirm,
  className = "",
}: {
  action: () => Promise<ActionResult<unknown>>;
  label: string;
  pendingLabel?: string;
  variant?: "primary" | "secondary" | "danger" | "ghost";
  size?: "sm" | "md";
  confirm?: string;
  className?: string;
}) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function run() {
    if (confirm && !window.confirm(confirm)) return;
    setError(null);
    startTransition(async () => {
      try {
        const result = await action();
        if (!result.ok) setError(result.error);
        else router.refresh();
      } catch {
        setError("Could not reach Bidcloud. Please try again.");
      }
    });
  }

  return (
    <span className={`inline-flex flex-col items-end gap-1 ${className}`}>
      <Button variant={variant} size={size} disabled={pending} onClick={run}>
        {pending ? (pendingLabel ?? `${label}…`) : label}
      </Button>
      {error && (
        <span role="alert" className="max-w-64 text-right text-xs text-red-600">
          {error}
        </span>
      )}
    </span>
  );
}
