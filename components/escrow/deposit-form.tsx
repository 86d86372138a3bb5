"use client";

import { useActionState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Field, TextInput } from "@/components/ui/field";
import { FormFeedback } from "@/components/ui/form-feedback";
import { IDLE_FORM, fieldError, typedValue, type FormAction } from "@/components/ui/form-state";

/**
 * Moves tokens from the tenant's wallet into the deployment's escrow. `requestKey` comes with
 * the page render, so a resubmitted form deposits once; the next render brings a new one.
 * A wrong amount, or more than the wallet holds, shows under the field.
 */
export function DepositForm({
  action,
  deploymentId,
  requestKey,
  symbol,
  submitLabel,
  hint,
}: {
  action: FormAction;
  deploymentId: string;
  requestKey: string;
  symbol: string;
  submitLabel: string;
  hint?: ReactNode;
}) {
  const [state, formAction, pending] = useActionState(action, IDLE_FORM);
  const error = fieldError(state, "amount");

  return (
    <form action={formAction} className="space-y-2" noValidate aria-label="Deposit to escrow">
      <input type="hidden" name="deploymentId" value={deploymentId} />
      <input type="hidden" name="requestKey" value={requestKey} />
      <Field label={`Amount (${symbol})`} name="amount" error={error} hint={hint}>
        <div className="flex gap-2">
          <div className="relative min-w-0 flex-1">
            <TextInput
              name="amount"
              inputMode="decimal"
              autoComplete="off"
              placeholder="50.00"
              defaultValue={typedValue(state, "amount")}
              error={error}
            />
            <span className="pointer-events-none absolute inset-y-0 right-3 flex items-center text-xs text-slate-400">
              {symbol}
            </span>
          </div>
          <Button type="submit" disabled={pending}>
            {pending ? "Depositing…" : submitLabel}
          </Button>
        </div>
      </Field>
      {!error && <FormFeedback state={state} />}
    </form>
  );
}
