"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Field, TextInput } from "@/components/ui/field";
import { FormFeedback } from "@/components/ui/form-feedback";
import { IDLE_FORM, fieldError, typedValue, type FormAction } from "@/components/ui/form-state";

/**
 * Withdraws everything settled to the provider: to its managed wallet, or to an address of
 * its own. One withdrawal at a time; `blockedReason` says why the button is off.
 */
export function WithdrawForm({
  action,
  requestKey,
  walletAddress,
  amountLabel,
  blockedReason,
}: {
  action: FormAction;
  requestKey: string;
  walletAddress: string;
  /** "12.34 USDC": what the button withdraws; null when nothing is settled yet. */
  amountLabel: string | null;
  blockedReason: string | null;
}) {
  const [state, formAction, pending] = useActionState(action, IDLE_FORM);
  const error = fieldError(state, "to");

  return (
    <form action={formAction} className="space-y-3" noValidate aria-label="Withdraw earnings">
      <input type="hidden" name="requestKey" value={requestKey} />
      <Field
        label="Send to (optional)"
        name="to"
        error={error}
        hint={<span className="break-all">Empty: your managed wallet {walletAddress}</span>}
      >
        <TextInput
          name="to"
          autoComplete="off"
          spellCheck={false}
          autoCapitalize="none"
          placeholder="0x…"
          defaultValue={typedValue(state, "to")}
          error={error}
        />
      </Field>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={pending || blockedReason !== null}>
          {pending ? "Withdrawing…" : amountLabel ? `Withdraw ${amountLabel}` : "Withdraw"}
        </Button>
        {blockedReason && <span className="text-sm text-slate-500">{blockedReason}</span>}
      </div>
      {!error && <FormFeedback state={state} />}
    </form>
  );
}
