"use server";

import { revalidatePath } from "next/cache";
import { runFormAction } from "@/app/_lib/form-action";
import { WithdrawFormSchema } from "@/components/escrow/escrow-forms.schemas";
import { formatTokens, tokenOf } from "@/components/escrow/token-amount";
import type { FormState } from "@/components/ui/form-state";
import { chainRuntime } from "@/lib/chain/runtime";
import { requireChain } from "@/lib/escrow/chain-reads";
import { requestWithdrawal } from "@/lib/escrow/withdrawals";
import { AppError } from "@/lib/errors";
import { perHour } from "@/lib/format";
import { tryParseUsd } from "@/lib/money";
import { addInventory } from "@/lib/market/add-inventory";
import { closeBid } from "@/lib/market/close-bid";
import { closeLease } from "@/lib/market/close-lease";
import { placeBid } from "@/lib/market/place-bid";
import { removeInventory } from "@/lib/market/remove-inventory";
import { upsertProvider } from "@/lib/market/upsert-provider";
import {
  BidFormSchema,
  IdFormSchema,
  INVENTORY_FIELD_ALIASES,
  parseInventoryForm,
  parseProviderForm,
} from "./provider-forms.schemas";

const PAGE = "/provider";

/** The market's messages carry wire amounts ("2.800000"); the form shows them as "$2.80/h". */
function withDisplayPrices(error: AppError): AppError {
  const display = (text: string) =>
    text.replace(/\b\d+\.\d{6}\b/g, (amount) => perHour(tryParseUsd(amount) ?? 0n));
  return new AppError(error.code, display(error.message), {
    fields: error.fields?.map((field) => ({ ...field, message: display(field.message) })),
    cause: error,
  });
}

export async function saveProviderProfile(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction(
    { formData, revalidate: PAGE, fieldAliases: { "attributes.*": "attributes" } },
    async (principal) => {
      await upsertProvider(principal, parseProviderForm(formData));
      return { status: "ok", message: "Profile saved." };
    },
  );
}

export async function addInventoryItem(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction(
    { formData, revalidate: PAGE, fieldAliases: INVENTORY_FIELD_ALIASES },
    async (principal) => {
      const item = await addInventory(principal, parseInventoryForm(formData));
      return { status: "ok", message: `Listed ${item.gpu.count}× ${item.gpu.model.toUpperCase()}.` };
    },
  );
}

export async function removeInventoryItem(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction({ formData, revalidate: PAGE }, async (principal) => {
    await removeInventory(principal, IdFormSchema.parse(Object.fromEntries(formData)).id);
  });
}

export async function placeBidOnOrder(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction({ formData, revalidate: PAGE }, async (principal) => {
    const { orderId, pricePerHour } = BidFormSchema.parse(Object.fromEntries(formData));
    try {
      await placeBid(principal, orderId, pricePerHour);
    } catch (error) {
      throw error instanceof AppError ? withDisplayPrices(error) : error;
    }
    return { status: "ok", message: "Bid placed." };
  });
}

export async function closeOwnBid(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction({ formData, revalidate: PAGE }, async (principal) => {
    await closeBid(principal, IdFormSchema.parse(Object.fromEntries(formData)).id);
  });
}

export async function closeProviderLease(_previous: FormState, formData: FormData): Promise<FormState> {
  const state = await runFormAction({ formData, revalidate: PAGE }, async (principal) => {
    await closeLease(principal, IdFormSchema.parse(Object.fromEntries(formData)).id);
  });
  // The lease's own page shows the close too, not only the dashboard.
  const id = formData.get("id");
  if (typeof id === "string") revalidatePath(`/provider/leases/${id}`);
  return state;
}

/** Withdraws everything settled to the provider, to its managed wallet or the address typed. */
export async function withdrawEarnings(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction({ formData, revalidate: "/provider/earnings" }, async (principal) => {
    const { chain, settings } = requireChain(chainRuntime());
    const { to, requestKey } = WithdrawFormSchema.parse(Object.fromEntries(formData));
    const withdrawal = await requestWithdrawal(chain, settings, principal, { to, requestKey });
    return {
      status: "ok",
      message: `Withdrawal of ${formatTokens(withdrawal.amount, tokenOf(settings))} to ${withdrawal.to.slice(0, 6)}…${withdrawal.to.slice(-4)} sent.`,
    };
  });
}
