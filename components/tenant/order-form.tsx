"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent, type ReactNode } from "react";
import { Button, buttonClasses } from "@/components/ui/button";
import { Field, FormError, SelectInput, TextInput, inputClasses } from "@/components/ui/field";
import type { ActionResult } from "@/components/ui/action-result";
import { GPU_MODEL_CHOICES } from "./order-form.schemas";

const selectClasses = `${inputClasses} h-9`;

const REGION_SUGGESTIONS = ["us-east", "us-west", "eu-central", "eu-west", "ap-southeast"];

function Section({
  title,
  description,
  children,
}: {
  title: string;
  description: string;
  children: ReactNode;
}) {
  return (
    <fieldset className="grid gap-4 border-t border-slate-100 pt-5 first-of-type:border-t-0 first-of-type:pt-0 md:grid-cols-3">
      <div>
        <legend className="text-sm font-semibold text-slate-900">{title}</legend>
        <p className="mt-1 text-xs text-slate-500">{description}</p>
      </div>
      <div className="grid grid-cols-2 gap-x-3 gap-y-4 sm:gap-x-4 md:col-span-2">{children}</div>
    </fieldset>
  );
}

/** Posts an order; on success goes to its page, where bids arrive live. */
export function OrderForm({ action }: { action: (formData: FormData) => Promise<ActionResult<string>> }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      const result = await action(new FormData(event.currentTarget));
      if (!result.ok) {
        setError(result.error);
        setFields(result.fields);
        setPending(false);
        return;
      }
      setFields({});
      router.push(`/tenant/orders/${result.data}`);
    } catch {
      setError("Could not reach Bidcloud. Check your connection and try again.");
      setPending(false);
    }
  }

  return (
    <form
      onSubmit={(event) => void submit(event)}
      className="space-y-6"
      noValidate
      aria-label="Post an order"
    >
      <FormError message={error} />
      <Section
        title="GPU"
        description="Each replica gets this many GPUs on one machine. Choose 0 GPUs for a CPU-only job."
      >
        <Field label="GPUs per replica" name="gpuUnits" error={fields.gpuUnits}>
          <TextInput name="gpuUnits" inputMode="numeric" defaultValue="1" required error={fields.gpuUnits} />
        </Field>
        <Field label="GPU vendor" name="gpuVendor" error={fields.gpuVendor}>
          <SelectInput
            name="gpuVendor"
            defaultValue="nvidia"
            error={fields.gpuVendor}
            className={selectClasses}
          >
            <option value="nvidia">NVIDIA</option>
            <option value="amd">AMD</option>
          </SelectInput>
        </Field>
        <Field label="GPU model" name="gpuModel" error={fields.gpuModel}>
          <SelectInput name="gpuModel" defaultValue="h100" error={fields.gpuModel} className={selectClasses}>
            {GPU_MODEL_CHOICES.map((choice) => (
              <option key={choice.value} value={choice.value}>
                {choice.label}
              </option>
            ))}
          </SelectInput>
        </Field>
        <Field
          label="Minimum VRAM (GB)"
          name="gpuMemoryGiB"
          error={fields.gpuMemoryGiB}
          hint="Optional, per GPU."
        >
          <TextInput
            name="gpuMemoryGiB"
            inputMode="numeric"
            placeholder="e.g. 80"
            error={fields.gpuMemoryGiB}
          />
        </Field>
      </Section>

      <Section title="Machine" description="CPU, memory and disk for each replica.">
        <Field label="CPU cores" name="cpuCores" error={fields.cpuCores}>
          <TextInput name="cpuCores" inputMode="decimal" defaultValue="8" required error={fields.cpuCores} />
        </Field>
        <Field label="Memory (GiB)" name="memoryGiB" error={fields.memoryGiB}>
          <TextInput
            name="memoryGiB"
            inputMode="numeric"
            defaultValue="64"
            required
            error={fields.memoryGiB}
          />
        </Field>
        <Field label="Storage (GiB)" name="storageGiB" error={fields.storageGiB}>
          <TextInput
            name="storageGiB"
            inputMode="numeric"
            defaultValue="200"
            required
            error={fields.storageGiB}
          />
        </Field>
        <Field label="Replicas" name="replicas" error={fields.replicas}>
          <TextInput name="replicas" inputMode="numeric" defaultValue="1" required error={fields.replicas} />
        </Field>
      </Section>

      <Section
        title="Placement and price"
        description="Providers bid at or under your maximum; you pick the bid you want."
      >
        <Field
          label="Region"
          name="region"
          error={fields.region}
          hint="Optional. Leave empty for any region."
        >
          <TextInput
            name="region"
            list="region-suggestions"
            placeholder="any"
            autoComplete="off"
            error={fields.region}
          />
        </Field>
        <datalist id="region-suggestions">
          {REGION_SUGGESTIONS.map((region) => (
            <option key={region} value={region} />
          ))}
        </datalist>
        <Field
          label="Max price per hour (USD)"
          name="maxPricePerHour"
          error={fields.maxPricePerHour}
          hint="For the whole order, e.g. 3.50. Up to 6 decimals."
        >
          <div className="relative">
            <span
              aria-hidden
              className="pointer-events-none absolute inset-y-0 left-3 flex items-center text-sm text-slate-500"
            >
              $
            </span>
            <TextInput
              name="maxPricePerHour"
              inputMode="decimal"
              placeholder="3.50"
              required
              error={fields.maxPricePerHour}
              style={{ paddingLeft: "1.5rem" }}
            />
          </div>
        </Field>
      </Section>

      <div className="flex flex-col-reverse gap-2 border-t border-slate-100 pt-5 sm:flex-row sm:justify-end">
        <Link href="/tenant" className={buttonClasses("secondary")}>
          Cancel
        </Link>
        <Button type="submit" disabled={pending}>
          {pending ? "Posting…" : "Post order"}
        </Button>
      </div>
    </form>
  );
}
