"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Field, SelectInput, TextInput } from "@/components/ui/field";
import { FormFeedback } from "@/components/ui/form-feedback";
import {
  IDLE_FORM,
  fieldError,
  typedValue,
  type FormAction,
  type FormState,
} from "@/components/ui/form-state";

const COMMON_MODELS = ["h100", "h200", "b200", "a100", "l40s", "l4", "rtx4090", "rtx3090", "mi300x"];

function NumberField({
  state,
  name,
  label,
  unit,
  placeholder,
  decimal = false,
}: {
  state: FormState;
  name: string;
  label: string;
  unit: string;
  placeholder: string;
  decimal?: boolean;
}) {
  const error = fieldError(state, name);
  return (
    <Field label={label} name={name} error={error}>
      <div className="relative">
        <TextInput
          name={name}
          inputMode={decimal ? "decimal" : "numeric"}
          required
          defaultValue={typedValue(state, name)}
          placeholder={placeholder}
          error={error}
        />
        <span className="pointer-events-none absolute inset-y-0 right-3 flex items-center text-xs text-slate-400">
          {unit}
        </span>
      </div>
    </Field>
  );
}

/** One machine (or identical node): its GPUs plus CPU, memory and storage, in human units. */
export function AddInventoryForm({ action }: { action: FormAction }) {
  const [state, formAction, pending] = useActionState(action, IDLE_FORM);

  return (
    <form action={formAction} className="space-y-4" noValidate>
      <fieldset className="space-y-3">
        <legend className="text-xs font-semibold uppercase tracking-wide text-slate-500">GPU</legend>
        <div className="grid grid-cols-2 gap-3">
          <Field label="Vendor" name="gpuVendor" error={fieldError(state, "gpuVendor")}>
            <SelectInput
              name="gpuVendor"
              defaultValue={typedValue(state, "gpuVendor", "nvidia")}
              error={fieldError(state, "gpuVendor")}
            >
              <option value="nvidia">NVIDIA</option>
              <option value="amd">AMD</option>
            </SelectInput>
          </Field>
          <Field
            label="Model"
            name="gpuModel"
            error={fieldError(state, "gpuModel")}
            hint="Lowercase, no spaces: h100, rtx4090"
          >
            <TextInput
              name="gpuModel"
              list="gpu-models"
              required
              autoCapitalize="none"
              defaultValue={typedValue(state, "gpuModel")}
              placeholder="h100"
              error={fieldError(state, "gpuModel")}
            />
            <datalist id="gpu-models">
              {COMMON_MODELS.map((model) => (
                <option key={model} value={model} />
              ))}
            </datalist>
          </Field>
          <NumberField state={state} name="gpuMemoryGiB" label="VRAM per GPU" unit="GiB" placeholder="80" />
          <Field label="Interface" name="gpuInterface" error={fieldError(state, "gpuInterface")}>
            <SelectInput
              name="gpuInterface"
              defaultValue={typedValue(state, "gpuInterface", "pcie")}
              error={fieldError(state, "gpuInterface")}
            >
              <option value="pcie">PCIe</option>
              <option value="sxm">SXM</option>
            </SelectInput>
          </Field>
          <NumberField state={state} name="gpuCount" label="GPU count" unit="GPUs" placeholder="8" />
        </div>
      </fieldset>
      <fieldset className="space-y-3">
        <legend className="text-xs font-semibold uppercase tracking-wide text-slate-500">Machine</legend>
        <div className="grid grid-cols-2 gap-3 sm:grid-cols-3">
          <NumberField state={state} name="cpuCores" label="CPU" unit="cores" placeholder="64" decimal />
          <NumberField state={state} name="memoryGiB" label="Memory" unit="GiB" placeholder="1024" />
          <NumberField state={state} name="storageGiB" label="Storage" unit="GiB" placeholder="15360" />
        </div>
      </fieldset>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={pending}>
          {pending ? "Adding…" : "Add inventory"}
        </Button>
        <FormFeedback state={state} />
      </div>
    </form>
  );
}
