import type { Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { findAccountById, type AccountRecord } from "./account.repository";

export async function getOwnAccount(principal: Principal): Promise<AccountRecord> {
  const account = await findAccountById(db(), principal.accountId);
  if (!account) throw new AppError("NOT_FOUND", "no such account");
  return account;
}
