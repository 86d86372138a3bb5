"use client";

import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Field, FormError, TextInput } from "@/components/ui/field";
import { formText } from "./form-text";
import { signInErrorMessage } from "./sign-in-errors";

/**
 * Email and password sign-in. On success the browser reloads /sign-in, whose server side
 * sends the now signed-in account to its callback page or dashboard.
 */
export function SignInForm({
  callbackUrl,
  initialError,
}: {
  callbackUrl: string | null;
  initialError: string | null;
}) {
  const [error, setError] = useState<string | null>(initialError);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = formText(form, "email").trim();
    const password = formText(form, "password");
    if (!email || !password) {
      setError("Enter your email and password.");
      return;
    }
    setPending(true);
    setError(null);
    const result = await signIn("password", { email, password, redirect: false });
    if (!result || result.error || !result.ok) {
      setError(signInErrorMessage(result?.error ?? "Default"));
      setPending(false);
      return;
    }
    window.location.assign(
      callbackUrl ? `/sign-in?callbackUrl=${encodeURIComponent(callbackUrl)}` : "/sign-in",
    );
  }

  return (
    <form onSubmit={(event) => void submit(event)} className="space-y-4" noValidate>
      <FormError message={error} />
      <Field label="Email" name="email">
        <TextInput name="email" type="email" autoComplete="email" required inputMode="email" />
      </Field>
      <Field label="Password" name="password">
        <TextInput name="password" type="password" autoComplete="current-password" required />
      </Field>
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
