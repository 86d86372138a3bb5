"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { TextInput } from "@/components/ui/field";
import { FormError } from "@/components/ui/field";
import { IDLE_FORM, fieldError, typedValue, type FormAction } from "@/components/ui/form-state";
import { CopySecret } from "./copy-secret";

/** Names a new key; the key itself is shown here once and never again. */
export function CreateApiKeyForm({ action }: { action: FormAction }) {
  const [state, formAction, pending] = useActionState(action, IDLE_FORM);
  const nameError = fieldError(state, "name");

  return (
    <div className="space-y-4">
      <form action={formAction} className="flex flex-col gap-2 sm:flex-row sm:items-start" noValidate>
        <div className="flex-1">
          <label htmlFor="name" className="sr-only">
            Key name
          </label>
          <TextInput
            name="name"
            required
            maxLength={64}
            placeholder="Key name, e.g. provider-agent or ci"
            defaultValue={typedValue(state, "name")}
            error={nameError}
          />
          {nameError && (
            <p id="name-error" role="alert" className="mt-1 text-xs text-red-600">
              Name: {nameError.toLowerCase()}
            </p>
          )}
        </div>
        <Button type="submit" disabled={pending}>
          {pending ? "Creating…" : "Create key"}
        </Button>
      </form>
      {state.status === "error" && !nameError && <FormError message={state.message} />}
      {state.status === "ok" && state.secret && (
        <div role="status" className="space-y-2 rounded-lg bg-amber-50 p-4 ring-1 ring-inset ring-amber-200">
          <p className="text-sm font-semibold text-amber-900">
            {state.message} Copy the key now — it is shown only once.
          </p>
          <p className="text-xs text-amber-800">
            We store only a hash of it. If you lose it, revoke it and create another. Send it as{" "}
            <code className="font-mono">Authorization: Bearer &lt;key&gt;</code>.
          </p>
          <CopySecret value={state.secret} label="Your new API key" />
        </div>
      )}
    </div>
  );
}
