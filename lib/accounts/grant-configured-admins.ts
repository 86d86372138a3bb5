import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { updateAccountRoles, findAccountByEmail } from "./account.repository";

/**
 * Gives the admin role to the existing accounts that ADMIN_EMAILS names, when a server
 * starts. Only accounts that already exist: emails are not verified, so granting at sign-up
 * would make whoever registers a listed email first an admin.
 */
export async function grantConfiguredAdmins(): Promise<string[]> {
  const granted: string[] = [];
  for (const email of env().ADMIN_EMAILS) {
    const account = await findAccountByEmail(db(), email);
    if (!account || account.roles.includes("admin")) continue;
    await updateAccountRoles(db(), account.id, [...account.roles, "admin"]);
    granted.push(email);
  }
  return granted;
}
