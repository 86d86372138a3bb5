import { requireRole, type Principal } from "@/lib/auth/principal";
import type { Db } from "@/lib/db";
import { lockAccountIfActive } from "@/lib/accounts/account.repository";
import { AppError } from "@/lib/errors";
import { findProviderByAccount, type ProviderRecord } from "./market.repository";

/** The caller's provider profile; FORBIDDEN without the role, CONFLICT before registering. */
export async function requireProvider(db: Db, principal: Principal): Promise<ProviderRecord> {
  requireRole(principal, "provider");
  if (!(await lockAccountIfActive(db, principal.accountId))) {
    throw new AppError("FORBIDDEN", "this account is suspended");
  }
  const provider = await findProviderByAccount(db, principal.accountId);
  if (!provider) {
    throw new AppError("CONFLICT", "register your provider profile first (PUT /api/v1/provider)");
  }
  return provider;
}
