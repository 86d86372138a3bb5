"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import {
  postDeploymentFailed,
  type PostDeploymentInput,
  type PostDeploymentResult,
} from "@/components/deployment/post-deployment-result";
import { actionFailed, actionOk, type ActionResult } from "@/components/ui/action-result";
import type { FormState } from "@/components/ui/form-state";
import { closeDeployment } from "@/lib/deployments/close-deployment";
import { createDeployment } from "@/lib/deployments/create-deployment";
import { CreateDeploymentSchema } from "@/lib/deployments/deployment.schemas";
import { acceptBid } from "@/lib/market/accept-bid";
import { runFormAction } from "../../_lib/form-action";
import { currentPrincipal } from "../../_lib/session";

const IdSchema = z.string().trim().min(1).max(64);

const SIGNED_OUT_MESSAGE = "Your session has ended. Please sign in again.";

/** Posts the SDL from the editor; SDL problems come back with their lines, for the editor to mark. */
export async function createDeploymentAction(input: PostDeploymentInput): Promise<PostDeploymentResult> {
  const principal = await currentPrincipal();
  if (!principal) return { ok: false, error: SIGNED_OUT_MESSAGE, fields: {}, sdlProblems: [] };
  const parsed = CreateDeploymentSchema.safeParse(input);
  if (!parsed.success) return postDeploymentFailed(parsed.error);
  try {
    const { deployment } = await createDeployment(principal, parsed.data);
    revalidatePath("/tenant");
    revalidatePath("/tenant/deployments");
    return { ok: true, id: deployment.id };
  } catch (error) {
    return postDeploymentFailed(error);
  }
}

export async function acceptDeploymentBidAction(
  deploymentId: string,
  orderId: string,
  bidId: string,
): Promise<ActionResult> {
  const principal = await currentPrincipal();
  if (!principal) return { ok: false, error: SIGNED_OUT_MESSAGE, fields: {} };
  const ids = z.tuple([IdSchema, IdSchema, IdSchema]).safeParse([deploymentId, orderId, bidId]);
  if (!ids.success) return { ok: false, error: "That bid does not exist.", fields: {} };
  try {
    await acceptBid(principal, ids.data[2]);
  } catch (error) {
    return actionFailed(error);
  } finally {
    revalidatePath(`/tenant/deployments/${ids.data[0]}`);
    revalidatePath("/tenant");
  }
  return actionOk(null);
}

/** "Close deployment" (ConfirmAction posts the deployment's id). */
export async function closeDeploymentAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const id = IdSchema.safeParse(formData.get("deploymentId"));
  return runFormAction(
    { formData, revalidate: id.success ? `/tenant/deployments/${id.data}` : "/tenant/deployments" },
    async (principal) => {
      if (!id.success) return { status: "error", message: "That deployment does not exist.", fields: {} };
      await closeDeployment(principal, id.data);
      revalidatePath("/tenant");
      revalidatePath("/tenant/deployments");
    },
  );
}
