"use client";

import { useActionState, useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, TextInput } from "@/components/ui/field";
import { FormFeedback } from "@/components/ui/form-feedback";
import { IDLE_FORM, fieldError, typedValue, type FormAction } from "@/components/ui/form-state";
import { Switch } from "@/components/ui/switch";
import { formatRunway } from "./format-runway";
import { formatTokenInput, formatTokens, type Token } from "./token-amount";

/**
 * Auto top-up: when the escrow's runway falls below N hours, deposit a set amount from the
 * wallet. The switch shows the fields; saving with it off turns auto top-up off.
 */
export function AutoTopUpForm({
  action,
  deploymentId,
  token,
  current,
}: {
  action: FormAction;
  deploymentId: string;
  token: Token;
  /** The saved setting, or null when off. */
  current: { amount: bigint; belowSeconds: number } | null;
}) {
  const [state, formAction, pending] = useActionState(action, IDLE_FORM);
  // React resets the form after each submit: the switch goes back to its default, which echoes
  // what was sent after a failure and the saved setting after a success; the fields follow it.
  const defaultEnabled = state.status === "error" ? state.values?.enabled === "on" : current !== null;
  const [enabled, setEnabled] = useState(defaultEnabled);
  const [shownState, setShownState] = useState(state);
  if (shownState !== state) {
    setShownState(state);
    setEnabled(defaultEnabled);
  }
  const amountError = fieldError(state, "topUpAmount");
  const hoursError = fieldError(state, "belowHours");
  const changed = enabled !== (current !== null);
  const savedAmount = current ? formatTokenInput(current.amount, token.decimals) : "";
  // A threshold set through the API need not be whole hours; the field then starts empty.
  const savedHours = current && current.belowSeconds % 3600 === 0 ? String(current.belowSeconds / 3600) : "";

  return (
    <form action={formAction} className="space-y-3" noValidate aria-label="Auto top-up">
      <input type="hidden" name="deploymentId" value={deploymentId} />
      <Switch
        name="enabled"
        label="Top up automatically"
        hintId="auto-top-up-hint"
        hint={
          current
            ? `On: adds ${formatTokens(current.amount, token)} when fewer than ${formatRunway(BigInt(current.belowSeconds))} remain.`
            : enabled
              ? "Takes effect when you save."
              : "Off: you top up by hand when the runway gets short."
        }
        defaultChecked={defaultEnabled}
        onChange={(event) => setEnabled(event.target.checked)}
      />
      {enabled && (
        <div className="grid grid-cols-2 gap-3 pl-12">
          <Field label={`Add (${token.symbol})`} name="topUpAmount" error={amountError}>
            <TextInput
              name="topUpAmount"
              inputMode="decimal"
              autoComplete="off"
              placeholder="50.00"
              defaultValue={typedValue(state, "topUpAmount", savedAmount)}
              error={amountError}
            />
          </Field>
          <Field label="When fewer than" name="belowHours" error={hoursError}>
            <div className="relative">
              <TextInput
                name="belowHours"
                inputMode="numeric"
                autoComplete="off"
                placeholder="6"
                defaultValue={typedValue(state, "belowHours", savedHours)}
                error={hoursError}
              />
              <span className="pointer-events-none absolute inset-y-0 right-3 flex items-center text-xs text-slate-400">
                hours left
              </span>
            </div>
          </Field>
        </div>
      )}
      {(enabled || changed) && (
        <div className="flex flex-wrap items-center gap-3 pl-12">
          <Button type="submit" variant="secondary" size="sm" disabled={pending}>
            {pending ? "Saving…" : enabled ? "Save auto top-up" : "Turn off auto top-up"}
          </Button>
          {!amountError && !hoursError && <FormFeedback state={state} />}
        </div>
      )}
      {!enabled && !changed && state.status === "ok" && (
        <div className="pl-12">
          <FormFeedback state={state} />
        </div>
      )}
    </form>
  );
}
