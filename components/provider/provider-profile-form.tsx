"use client";

import { useActionState, useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, TextInput, inputClasses } from "@/components/ui/field";
import { FormFeedback } from "@/components/ui/form-feedback";
import { IDLE_FORM, fieldError, typedValue, type FormAction } from "@/components/ui/form-state";

interface Row {
  id: number;
  key: string;
  value: string;
}

let nextRowId = 0;
const row = (key = "", value = ""): Row => ({ id: nextRowId++, key, value });

/** Name, host URI, region and key=value attributes; registers the provider or edits it. */
export function ProviderProfileForm({
  action,
  profile,
  submitLabel,
}: {
  action: FormAction;
  profile: { name: string; hostUri: string; region: string; attributes: Record<string, string> } | null;
  submitLabel: string;
}) {
  const [state, formAction, pending] = useActionState(action, IDLE_FORM);
  const [rows, setRows] = useState<Row[]>(() => {
    const entries = Object.entries(profile?.attributes ?? {});
    return entries.length > 0 ? entries.map(([key, value]) => row(key, value)) : [row()];
  });
  const update = (id: number, patch: Partial<Row>) =>
    setRows((current) => current.map((entry) => (entry.id === id ? { ...entry, ...patch } : entry)));
  const attributesError = fieldError(state, "attributes");

  return (
    <form action={formAction} className="space-y-4" noValidate>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Provider name" name="name" error={fieldError(state, "name")}>
          <TextInput
            name="name"
            required
            maxLength={80}
            defaultValue={typedValue(state, "name", profile?.name)}
            placeholder="Hopper Compute"
            error={fieldError(state, "name")}
          />
        </Field>
        <Field
          label="Region"
          name="region"
          error={fieldError(state, "region")}
          hint="Lowercase, e.g. us-west or eu-central"
        >
          <TextInput
            name="region"
            required
            defaultValue={typedValue(state, "region", profile?.region)}
            placeholder="us-west"
            autoCapitalize="none"
            error={fieldError(state, "region")}
          />
        </Field>
      </div>
      <Field
        label="Host URI"
        name="hostUri"
        error={fieldError(state, "hostUri")}
        hint="Where tenants' manifests are sent: your provider endpoint."
      >
        <TextInput
          name="hostUri"
          type="url"
          required
          defaultValue={typedValue(state, "hostUri", profile?.hostUri)}
          placeholder="https://provider.example.com:8443"
          autoCapitalize="none"
          error={fieldError(state, "hostUri")}
        />
      </Field>

      <fieldset aria-describedby={attributesError ? "attributes-error" : "attributes-hint"}>
        <legend className="text-sm font-medium text-slate-800">Attributes</legend>
        <p id="attributes-hint" className="mt-0.5 text-xs text-slate-500">
          Key=value pairs orders can require, e.g. tier=datacenter.
        </p>
        <ul className="mt-2 space-y-2">
          {rows.map((entry, index) => (
            <li key={entry.id} className="flex items-center gap-2">
              <input
                name="attrKey"
                aria-label={`Attribute ${index + 1} key`}
                value={entry.key}
                onChange={(event) => update(entry.id, { key: event.target.value })}
                placeholder="key"
                autoCapitalize="none"
                className={`${inputClasses} min-w-0 flex-1 font-mono`}
              />
              <span aria-hidden className="text-slate-400">
                =
              </span>
              <input
                name="attrValue"
                aria-label={`Attribute ${index + 1} value`}
                value={entry.value}
                onChange={(event) => update(entry.id, { value: event.target.value })}
                placeholder="value"
                autoCapitalize="none"
                className={`${inputClasses} min-w-0 flex-1 font-mono`}
              />
              <Button
                variant="ghost"
                size="sm"
                aria-label={`Remove attribute ${index + 1}`}
                onClick={() =>
                  setRows((current) =>
                    current.length > 1 ? current.filter((item) => item.id !== entry.id) : [row()],
                  )
                }
              >
                <span aria-hidden>✕</span>
              </Button>
            </li>
          ))}
        </ul>
        {attributesError && (
          <p id="attributes-error" role="alert" className="mt-1 text-xs text-red-600">
            {attributesError}
          </p>
        )}
        <Button
          variant="ghost"
          size="sm"
          className="mt-2"
          onClick={() => setRows((current) => [...current, row()])}
        >
          + Add attribute
        </Button>
      </fieldset>

      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : submitLabel}
        </Button>
        <FormFeedback state={state} />
      </div>
    </form>
  );
}
