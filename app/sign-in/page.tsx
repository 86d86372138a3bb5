import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthCard, OrDivider } from "@/components/auth/auth-card";
import { dashboardPath, safeCallbackPath } from "@/components/auth/dashboard-path";
import { EthereumSignInButton } from "@/components/auth/ethereum-sign-in-button";
import { signInErrorMessage } from "@/components/auth/sign-in-errors";
import { SignInForm } from "@/components/auth/sign-in-form";
import { currentPrincipal } from "../_lib/session";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const callbackUrl = safeCallbackPath(params.callbackUrl);
  const principal = await currentPrincipal();
  if (principal) redirect(callbackUrl ?? dashboardPath(principal.roles));
  const error = typeof params.error === "string" ? signInErrorMessage(params.error) : null;

  return (
    <AuthCard title="Sign in to Bidcloud" subtitle="Rent GPUs by reverse auction, or earn from your own.">
      <SignInForm callbackUrl={callbackUrl} initialError={error} />
      <OrDivider />
      <EthereumSignInButton callbackUrl={callbackUrl} />
      <p className="mt-6 text-center text-sm text-slate-600">
        New to Bidcloud?{" "}
        <Link href="/sign-up" className="font-semibold text-brand-600 hover:text-brand-700">
          Create an account
        </Link>
      </p>
    </AuthCard>
  );
}
