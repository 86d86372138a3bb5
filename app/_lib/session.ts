import "server-only";
import { cookies } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { principalForAccount } from "@/lib/accounts/authenticate";
import { hasRole, type Principal, type Role } from "@/lib/auth/principal";
import { accountIdFromCookieHeader } from "@/lib/auth/session-token";
import { AppError } from "@/lib/errors";

/** The signed-in caller of a page or server action, or null. */
export async function currentPrincipal(): Promise<Principal | null> {
  const store = await cookies();
  const header = store
    .getAll()
    .map((cookie) => `${cookie.name}=${encodeURIComponent(cookie.value)}`)
    .join("; ");
  const accountId = await accountIdFromCookieHeader(header);
  if (!accountId) return null;
  try {
    return await principalForAccount(accountId);
  } catch (error) {
    if (error instanceof AppError) return null;
    throw error;
  }
}

/** For pages: sends a visitor without a session (or without the role) to sign in. */
export async function requirePagePrincipal(role?: Role, returnTo = "/"): Promise<Principal> {
  const principal = await currentPrincipal();
  if (!principal) redirect(`/sign-in?callbackUrl=${encodeURIComponent(returnTo)}`);
  if (role && !hasRole(principal, role)) redirect(`/?missingRole=${role}`);
  return principal;
}

/** For pages showing one record: "not found" and "not yours" both render the 404 page. */
export async function loadOrNotFound<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (error instanceof AppError && (error.code === "NOT_FOUND" || error.code === "FORBIDDEN")) notFound();
    throw error;
  }
}
