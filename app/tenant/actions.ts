"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { ORDER_FIELD_LABELS, orderFieldFor, parseOrderForm } from "@/components/tenant/order-form.schemas";
import { actionFailed, actionInvalid, actionOk, type ActionResult } from "@/components/ui/action-result";
import { acceptBid } from "@/lib/market/accept-bid";
import { closeLease } from "@/lib/market/close-lease";
import { closeOrder } from "@/lib/market/close-order";
import { createOrder } from "@/lib/market/create-order";
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
