"use server";

import { runFormAction } from "@/app/_lib/form-action";
import type { FormState } from "@/components/ui/form-state";
import { setAccountStatus } from "@/lib/admin/set-account-status";
import { closeDeployment } from "@/lib/deployments/close-deployment";
import { closeLease } from "@/lib/market/close-lease";
import { AccountStatusFormSchema, IdFormSchema } from "./admin-filters.schemas";

const PAGE = "/admin";

export async function changeAccountStatus(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction({ formData, revalidate: PAGE }, async (principal) => {
    const { id, status } = AccountStatusFormSchema.parse(Object.fromEntries(formData));
    await setAccountStatus(principal, id, status);
  });
}

/** closeLease records reason "admin" when the caller is an admin who is neither party. */
export async function closeLeaseAsAdmin(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction({ formData, revalidate: PAGE }, async (principal) => {
    await closeLease(principal, IdFormSchema.parse(Object.fromEntries(formData)).id);
  });
}

/** closeDeployment records reason "admin" on the leases it closes when the caller is not the tenant. */
export async function closeDeploymentAsAdmin(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction({ formData, revalidate: PAGE }, async (principal) => {
    await closeDeployment(principal, IdFormSchema.parse(Object.fromEntries(formData)).id);
  });
}
