import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth/auth-card";
import { dashboardPath } from "@/components/auth/dashboard-path";
import { SignUpForm } from "@/components/auth/sign-up-form";
import { currentPrincipal } from "../_lib/session";
import { signUpAction } from "./actions";

export const metadata: Metadata = { title: "Create an account" };

export default async function SignUpPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const principal = await currentPrincipal();
  if (principal) redirect(dashboardPath(principal.roles));
  const { role } = await searchParams;

  return (
    <AuthCard
      title="Create your Bidcloud account"
      subtitle="Free to join. You pay only for leases you accept."
    >
      <SignUpForm action={signUpAction} defaultRole={role === "provider" ? "provider" : "tenant"} />
    </AuthCard>
  );
}
