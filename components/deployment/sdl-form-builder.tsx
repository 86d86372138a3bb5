"use client";

import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Field, TextInput, inputClasses } from "@/components/ui/field";
import { DEFAULT_SDL_FORM, FORM_GPU_MODELS, sdlFromForm, type SdlFormValues } from "./sdl-from-form";

type TextField = Exclude<keyof SdlFormValues, "gpuModels">;

/** One service described in plain fields; "Write SDL" puts the SDL it makes into the editor. */
export function SdlFormBuilder({ onGenerate }: { onGenerate: (sdl: string) => void }) {
  const [values, setValues] = useState<SdlFormValues>(DEFAULT_SDL_FORM);
  const [fields, setFields] = useState<Record<string, string>>({});

  const input = (
    name: TextField,
    label: string,
    props: { hint?: string; placeholder?: string; inputMode?: "numeric" | "decimal" } = {},
  ) => (
    <Field label={label} name={`form-${name}`} error={fields[name]} hint={props.hint}>
      <TextInput
        name={`form-${name}`}
        value={values[name]}
        onChange={(event) => setValues({ ...values, [name]: event.target.value })}
        inputMode={props.inputMode}
        placeholder={props.placeholder}
        autoComplete="off"
        error={fields[name]}
      />
    </Field>
  );

  function toggleModel(model: string, checked: boolean) {
    setValues({
      ...values,
      gpuModels: checked ? [...values.gpuModels, model] : values.gpuModels.filter((value) => value !== model),
    });
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const built = sdlFromForm(values);
    if (!built.ok) {
      setFields(built.fields);
      return;
    }
    setFields({});
    onGenerate(built.sdl);
  }

  const noGpu = values.gpuUnits.trim() === "0";

  return (
    <form onSubmit={submit} noValidate aria-label="Build an SDL with a form" className="space-y-5">
      <div className="grid grid-cols-2 gap-x-3 gap-y-4 sm:grid-cols-4 sm:gap-x-4">
        <div className="col-span-2 sm:col-span-3">
          {input("image", "Container image", { placeholder: "vllm/vllm-openai:v0.8.4" })}
        </div>
        {input("port", "Exposed port", {
          inputMode: "numeric",
          hint: "Reachable from the internet. Empty: none.",
        })}
        {input("gpuUnits", "GPUs per replica", { inputMode: "numeric", hint: "0 for a CPU-only service." })}
        {input("cpuCores", "CPU cores", { inputMode: "decimal" })}
        {input("memoryGiB", "Memory (GiB)", { inputMode: "numeric" })}
        {input("storageGiB", "Storage (GiB)", { inputMode: "numeric" })}
      </div>

      <fieldset disabled={noGpu} className="disabled:opacity-50">
        <legend className="text-sm font-medium text-slate-800">Acceptable GPU models</legend>
        <p className="text-xs text-slate-500">Any one of these will do. None ticked: any NVIDIA GPU.</p>
        <div className="mt-2 flex flex-wrap gap-2">
          {FORM_GPU_MODELS.map((model) => {
            const checked = values.gpuModels.includes(model.value);
            return (
              <label
                key={model.value}
                className={`inline-flex cursor-pointer items-center gap-1.5 rounded-md px-2.5 py-1.5 text-sm ring-1 ring-inset ${
                  checked
                    ? "bg-brand-50 font-medium text-brand-700 ring-brand-600/40"
                    : "bg-white text-slate-700 ring-slate-300"
                }`}
              >
                <input
                  type="checkbox"
                  checked={checked}
                  onChange={(event) => toggleModel(model.value, event.target.checked)}
                  className="h-4 w-4 accent-brand-600"
                />
                {model.label}
              </label>
            );
          })}
        </div>
        {fields.gpuModels && <p className="mt-1 text-xs text-red-600">{fields.gpuModels}</p>}
      </fieldset>

      <div className="grid grid-cols-2 gap-x-3 gap-y-4 sm:grid-cols-4 sm:gap-x-4">
        <div className="col-span-2">
          <Field
            label="Environment variables"
            name="form-env"
            error={fields.env}
            hint="One KEY=value a line, e.g. HF_TOKEN=hf_…"
          >
            <textarea
              id="form-env"
              name="form-env"
              rows={3}
              value={values.env}
              onChange={(event) => setValues({ ...values, env: event.target.value })}
              aria-invalid={fields.env ? true : undefined}
              aria-describedby={fields.env ? "form-env-error" : undefined}
              spellCheck={false}
              className={`${inputClasses} font-mono text-xs`}
              placeholder="MODEL=meta-llama/Llama-3.1-8B-Instruct"
            />
          </Field>
        </div>
        {input("replicas", "Replicas", { inputMode: "numeric" })}
        {input("maxPricePerHour", "Max price ($/hour)", {
          inputMode: "decimal",
          hint: "For all replicas together.",
        })}
      </div>

      <div className="flex flex-col gap-2 border-t border-slate-100 pt-4 sm:flex-row sm:items-center sm:justify-between">
        <p className="text-xs text-slate-500">
          Writes SDL v2.0 into the editor below, where you can fine-tune it.
        </p>
        <Button type="submit">Write SDL</Button>
      </div>
    </form>
  );
}
