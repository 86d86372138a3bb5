import { requireRole, type Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db";
import { upsertProviderRow, type ProviderRecord } from "./market.repository";
import type { UpsertProviderInput } from "./market.schemas";

export async function upsertProvider(
  principal: Principal,
  input: UpsertProviderInput,
): Promise<ProviderRecord> {
  requireRole(principal, "provider");
  return upsertProviderRow(db(), principal.accountId, input);
}
