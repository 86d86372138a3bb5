"use server";

import { z } from "zod";
import { runFormAction } from "@/app/_lib/form-action";
import type { FormState } from "@/components/ui/form-state";
import { ApiKeyNameSchema } from "@/lib/accounts/account.schemas";
import { createApiKey, revokeOwnApiKey } from "@/lib/accounts/manage-api-keys";

const PAGE = "/settings/api-keys";

export async function createApiKeyFromForm(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction({ formData, revalidate: PAGE }, async (principal) => {
    const { name } = z.object({ name: ApiKeyNameSchema }).parse({ name: formData.get("name") ?? "" });
    const { apiKey, key } = await createApiKey(principal, name);
    return { status: "ok", message: `Created “${apiKey.name}”.`, secret: key };
  });
}

export async function revokeApiKeyFromForm(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction({ formData, revalidate: PAGE }, async (principal) => {
    const { id } = z.object({ id: z.string().min(1) }).parse({ id: formData.get("id") });
    await revokeOwnApiKey(principal, id);
  });
}
