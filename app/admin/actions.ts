"use server";

import { runFormAction } from "@/app/_lib/form-action";
import { currentPrincipal } from "@/app/_lib/session";
import { ChainTxIdFormSchema } from "@/components/escrow/escrow-forms.schemas";
import type { ReconciliationResult } from "@/components/escrow/reconciliation-panel";
import { actionFailed, actionOk, type ActionResult } from "@/components/ui/action-result";
import type { FormState } from "@/components/ui/form-state";
import { setAccountStatus } from "@/lib/admin/set-account-status";
import { chainRuntime } from "@/lib/chain/runtime";
import { retryChainTx } from "@/lib/escrow/escrow-service";
import { reconciliationToWire } from "@/lib/escrow/escrow-wire";
import { reconcileAsAdmin } from "@/lib/escrow/reconcile";
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

/** A failed chain transaction is signed again with a fresh nonce by the outbox worker. */
export async function retryChainTxAsAdmin(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction({ formData, revalidate: PAGE }, async (principal) => {
    await retryChainTx(principal, ChainTxIdFormSchema.parse(Object.fromEntries(formData)).id);
  });
}

/** Compares the database with the contract now; the panel shows agreement or the differences. */
export async function runReconciliation(): Promise<ActionResult<ReconciliationResult>> {
  const principal = await currentPrincipal();
  if (!principal) return { ok: false, error: "Your session has ended. Please sign in again.", fields: {} };
  try {
    return actionOk(reconciliationToWire(await reconcileAsAdmin(principal, chainRuntime())));
  } catch (error) {
    return actionFailed(error);
  }
}
