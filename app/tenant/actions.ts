"use server";

import { randomUUID } from "node:crypto";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import {
  AUTO_TOP_UP_FIELD_ALIASES,
  DepositFormSchema,
  parseAutoTopUpForm,
} from "@/components/escrow/escrow-forms.schemas";
import { formatTokens, tokenOf, withDisplayAmounts, type Token } from "@/components/escrow/token-amount";
import { ORDER_FIELD_LABELS, orderFieldFor, parseOrderForm } from "@/components/tenant/order-form.schemas";
import { actionFailed, actionInvalid, actionOk, type ActionResult } from "@/components/ui/action-result";
import type { FormState } from "@/components/ui/form-state";
import { chainRuntime } from "@/lib/chain/runtime";
import { requireChain } from "@/lib/escrow/chain-reads";
import { depositToEscrow } from "@/lib/escrow/deposits";
import { setAutoTopUp } from "@/lib/escrow/escrow-service";
import { useFaucet as requestFaucetTokens } from "@/lib/escrow/wallet";
import { AppError } from "@/lib/errors";
import { acceptBid } from "@/lib/market/accept-bid";
import { closeLease } from "@/lib/market/close-lease";
import { closeOrder } from "@/lib/market/close-order";
import { createOrder } from "@/lib/market/create-order";
import { runFormAction } from "../_lib/form-action";
import { currentPrincipal } from "../_lib/session";

const IdSchema = z.string().trim().min(1).max(64);

const SIGNED_OUT = { ok: false as const, error: "Your session has ended. Please sign in again.", fields: {} };

function namingFields(result: { ok: false; error: string; fields: Record<string, string> }) {
  const names = Object.keys(result.fields).map((field) => ORDER_FIELD_LABELS[field] ?? field);
  return names.length > 0 ? { ...result, error: `Please check: ${names.join(", ")}.` } : result;
}

/** Posts an order from the form; returns the new order's id. */
export async function createOrderAction(formData: FormData): Promise<ActionResult<string>> {
  const principal = await currentPrincipal();
  if (!principal) return SIGNED_OUT;
  const values = Object.fromEntries([...formData.entries()].filter(([, value]) => typeof value === "string"));
  const parsed = parseOrderForm(values);
  if (!parsed.ok) return namingFields(actionInvalid(parsed.issues, orderFieldFor));
  try {
    const order = await createOrder(principal, parsed.input);
    revalidatePath("/tenant");
    revalidatePath("/market");
    return actionOk(order.id);
  } catch (error) {
    return namingFields(actionFailed(error, orderFieldFor));
  }
}

export async function acceptBidAction(orderId: string, bidId: string): Promise<ActionResult> {
  const principal = await currentPrincipal();
  if (!principal) return SIGNED_OUT;
  const ids = z.tuple([IdSchema, IdSchema]).safeParse([orderId, bidId]);
  if (!ids.success) return { ok: false, error: "That bid does not exist.", fields: {} };
  try {
    await acceptBid(principal, ids.data[1]);
  } catch (error) {
    return actionFailed(error);
  } finally {
    revalidatePath(`/tenant/orders/${ids.data[0]}`);
    revalidatePath("/tenant");
  }
  return actionOk(null);
}

export async function closeOrderAction(orderId: string): Promise<ActionResult> {
  const principal = await currentPrincipal();
  if (!principal) return SIGNED_OUT;
  const id = IdSchema.safeParse(orderId);
  if (!id.success) return { ok: false, error: "That order does not exist.", fields: {} };
  try {
    await closeOrder(principal, id.data);
  } catch (error) {
    return actionFailed(error);
  } finally {
    revalidatePath(`/tenant/orders/${id.data}`);
    revalidatePath("/tenant");
  }
  return actionOk(null);
}

export async function closeLeaseAction(leaseId: string, orderId: string): Promise<ActionResult> {
  const principal = await currentPrincipal();
  if (!principal) return SIGNED_OUT;
  const ids = z.tuple([IdSchema, IdSchema]).safeParse([leaseId, orderId]);
  if (!ids.success) return { ok: false, error: "That lease does not exist.", fields: {} };
  try {
    await closeLease(principal, ids.data[0]);
  } catch (error) {
    return actionFailed(error);
  } finally {
    revalidatePath(`/tenant/orders/${ids.data[1]}`);
    revalidatePath("/tenant");
  }
  return actionOk(null);
}

/** "Get test USDC" (local chains only): tokens are minted through the outbox and arrive shortly. */
export async function getTestTokensAction(): Promise<ActionResult> {
  const principal = await currentPrincipal();
  if (!principal) return SIGNED_OUT;
  try {
    const { chain, settings } = requireChain(chainRuntime());
    await requestFaucetTokens(chain, settings, principal.accountId, randomUUID());
  } catch (error) {
    return actionFailed(error);
  }
  revalidatePath("/tenant");
  return actionOk(null);
}

/** The escrow's messages carry wire amounts ("12.500000"); the form shows "12.50". */
function withTokenAmounts(error: AppError, token: Token): AppError {
  return new AppError(error.code, withDisplayAmounts(error.message, token), {
    fields: error.fields?.map((field) => ({ ...field, message: withDisplayAmounts(field.message, token) })),
    cause: error,
  });
}

function deploymentPage(formData: FormData): string {
  const id = IdSchema.safeParse(formData.get("deploymentId"));
  return id.success ? `/tenant/deployments/${id.data}` : "/tenant/deployments";
}

/** Deposit (or top-up) from the wallet into a deployment's escrow; a bad amount shows under its field. */
export async function depositAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction({ formData, revalidate: deploymentPage(formData) }, async (principal) => {
    const { chain, settings } = requireChain(chainRuntime());
    const token = tokenOf(settings);
    const input = DepositFormSchema.parse(Object.fromEntries(formData));
    try {
      const deposit = await depositToEscrow(chain, settings, principal, input);
      revalidatePath("/tenant");
      return { status: "ok", message: `Deposit of ${formatTokens(deposit.amount, token)} sent.` };
    } catch (error) {
      throw error instanceof AppError ? withTokenAmounts(error, token) : error;
    }
  });
}

/** Auto top-up on (amount, below N hours of runway) or off. */
export async function autoTopUpAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction(
    { formData, revalidate: deploymentPage(formData), fieldAliases: AUTO_TOP_UP_FIELD_ALIASES },
    async (principal) => {
      const { settings } = requireChain(chainRuntime());
      const { deploymentId, setting } = parseAutoTopUpForm(Object.fromEntries(formData));
      await setAutoTopUp(settings, principal, deploymentId, setting);
      return { status: "ok", message: setting ? "Auto top-up saved." : "Auto top-up is off." };
    },
  );
}
