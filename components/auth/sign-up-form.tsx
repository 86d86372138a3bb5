"use client";

import Link from "next/link";
import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Field, FormError, TextInput } from "@/components/ui/field";
import { formText } from "./form-text";
import type { ActionResult } from "@/components/ui/action-result";

const ROLE_CHOICES = [
  {
    value: "tenant",
    title: "Rent GPUs",
    description: "Post orders for GPU capacity and accept the best bid.",
  },
  { value: "provider", title: "Provide GPUs", description: "List your hardware and bid on workloads." },
] as const;

/**
 * Sign-up: the server action creates the account, then the browser signs in with the same
 * credentials through next-auth and goes to the account's dashboard.
 */
export function SignUpForm({
  action,
  defaultRole,
}: {
  action: (formData: FormData) => Promise<ActionResult<string>>;
  defaultRole: "tenant" | "provider";
}) {
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    setFields({});
    try {
      const result = await action(form);
      if (!result.ok) {
        setError(result.error);
        setFields(result.fields);
        return;
      }
      const signedIn = await signIn("password", {
        email: formText(form, "email").trim(),
        password: formText(form, "password"),
        redirect: false,
      });
      if (!signedIn?.ok || signedIn.error) {
        window.location.assign("/sign-in");
        return;
      }
      window.location.assign(result.data);
    } catch {
      setError("Could not reach Bidcloud. Check your connection and try again.");
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={(event) => void submit(event)} className="space-y-4" noValidate>
      <FormError message={error} />
      <Field label="Email" name="email" error={fields.email}>
        <TextInput
          name="email"
          type="email"
          autoComplete="email"
          inputMode="email"
          required
          error={fields.email}
        />
      </Field>
      <Field label="Password" name="password" error={fields.password} hint="At least 10 characters.">
        <TextInput
          name="password"
          type="password"
          autoComplete="new-password"
          minLength={10}
          required
          error={fields.password}
        />
      </Field>
      <fieldset aria-describedby={fields.roles ? "roles-error" : undefined}>
        <legend className="text-sm font-medium text-slate-800">I want to</legend>
        <div className="mt-2 grid gap-2 sm:grid-cols-2">
          {ROLE_CHOICES.map((choice) => (
            <label
              key={choice.value}
              className="flex cursor-pointer gap-3 rounded-lg p-3 ring-1 ring-slate-200 ring-inset has-checked:bg-brand-50 has-checked:ring-brand-600"
            >
              <input
                type="checkbox"
                name="roles"
                value={choice.value}
                defaultChecked={choice.value === defaultRole}
                className="mt-0.5 h-4 w-4 shrink-0 rounded border-slate-300 accent-brand-600"
              />
              <span>
                <span className="block text-sm font-semibold text-slate-900">{choice.title}</span>
                <span className="block text-xs text-slate-600">{choice.description}</span>
              </span>
            </label>
          ))}
        </div>
        {fields.roles ? (
          <p id="roles-error" role="alert" className="mt-1 text-xs text-red-600">
            Choose at least one: rent GPUs, provide GPUs, or both.
          </p>
        ) : (
          <p className="mt-1 text-xs text-slate-500">You can pick both.</p>
        )}
      </fieldset>
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Creating your account…" : "Create account"}
      </Button>
      <p className="text-center text-sm text-slate-600">
        Already have an account?{" "}
        <Link href="/sign-in" className="font-semibold text-brand-600 hover:text-brand-700">
          Sign in
        </Link>
      </p>
    </form>
  );
}
