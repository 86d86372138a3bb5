"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { IDLE_FORM, fieldError, typedValue, type FormAction } from "@/components/ui/form-state";
import { inputClasses } from "@/components/ui/field";

/** A price box and a Bid button for one order; the error shows under it. */
export function BidForm({
  action,
  orderId,
  suggestedPrice,
  maxPriceLabel,
  orderLabel,
}: {
  action: FormAction;
  orderId: string;
  /** Decimal USD string the box starts with, e.g. "2.24". */
  suggestedPrice: string;
  maxPriceLabel: string;
  orderLabel: string;
}) {
  const [state, formAction, pending] = useActionState(action, IDLE_FORM);
  const inputId = `bid-${orderId}`;
  const error = fieldError(state, "pricePerHour") ?? (state.status === "error" ? state.message : undefined);

  return (
    <form action={formAction} className="w-full sm:w-64" noValidate>
      <input type="hidden" name="orderId" value={orderId} />
      <label htmlFor={inputId} className="sr-only">
        Your price per hour for {orderLabel}, at most {maxPriceLabel}
      </label>
      <div className="flex gap-2">
        <div className="relative flex-1">
          <span className="pointer-events-none absolute inset-y-0 left-3 flex items-center text-sm text-slate-400">
            $
          </span>
          <input
            id={inputId}
            name="pricePerHour"
            inputMode="decimal"
            autoComplete="off"
            defaultValue={typedValue(state, "pricePerHour", suggestedPrice)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${inputId}-error` : undefined}
            className={`${inputClasses} pl-6 pr-8 tabular-nums`}
          />
          <span className="pointer-events-none absolute inset-y-0 right-3 flex items-center text-xs text-slate-400">
            /h
          </span>
        </div>
        <Button type="submit" disabled={pending}>
          {pending ? "Bidding…" : "Bid"}
        </Button>
      </div>
      {error && (
        <p id={`${inputId}-error`} role="alert" className="mt-1 text-xs text-red-600">
          {error}
        </p>
      )}
    </form>
  );
}
