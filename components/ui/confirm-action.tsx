"use client";

import { useActionState, useState } from "react";
import { Button } from "./button";
import { IDLE_FORM, type FormAction } from "./form-state";

/**
 * A destructive one-click action (revoke, remove, close, suspend) that asks first:
 * the button turns into "Sure? Confirm / Cancel" in place, then posts the hidden fields
 * to the server action. An error from the action shows under the buttons.
 */
export function ConfirmAction({
  action,
  fields,
  label,
  confirmLabel = label,
  prompt = "Sure?",
  variant = "danger",
  accessibleName,
}: {
  action: FormAction;
  fields: Record<string, string>;
  label: string;
  confirmLabel?: string;
  prompt?: string;
  variant?: "danger" | "secondary" | "primary";
  /** A name screen readers hear, e.g. "Close bid on 2× H100". */
  accessibleName?: string;
}) {
  const [state, formAction, pending] = useActionState(action, IDLE_FORM);
  const [asking, setAsking] = useState(false);

  return (
    <form
      action={formAction}
      onSubmit={() => setAsking(false)}
      className="inline-flex flex-col items-start gap-1 sm:items-end"
    >
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {asking ? (
        <span className="inline-flex items-center gap-1.5" role="group" aria-label={accessibleName ?? label}>
          <span className="text-xs text-slate-600">{prompt}</span>
          <Button type="submit" size="sm" variant={variant === "primary" ? "primary" : "danger"} autoFocus>
            {confirmLabel}
          </Button>
          <Button size="sm" variant="ghost" onClick={() => setAsking(false)}>
            Cancel
          </Button>
        </span>
      ) : (
        <Button
          size="sm"
          variant={variant === "danger" ? "secondary" : variant}
          disabled={pending}
          aria-label={accessibleName}
          onClick={() => setAsking(true)}
          className={variant === "danger" ? "text-red-700" : ""}
        >
          {pending ? "Working…" : label}
        </Button>
      )}
      {state.status === "error" && (
        <span role="alert" className="max-w-56 whitespace-normal text-xs text-red-600 sm:text-right">
          {state.message}
        </span>
      )}
    </form>
  );
}
