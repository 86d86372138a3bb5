"use server";

import { headers } from "next/headers";
import { CreateAccountSchema } from "@/lib/accounts/account.schemas";
import { createAccount } from "@/lib/accounts/create-account";
import { authRateLimiter } from "@/lib/auth/rate-limit";
import { env } from "@/lib/env";
import { dashboardPath } from "@/components/auth/dashboard-path";
import { actionFailed, actionInvalid, actionOk, type ActionResult } from "@/components/ui/action-result";

/** X-Forwarded-For is written by scripts/serve.ts from the socket, or by a trusted proxy. */
async function clientAddress(): Promise<string> {
  const forwarded = (await headers()).get("x-forwarded-for");
  return forwarded?.split(",")[0]?.trim() || "direct";
}

/** Creates the account; the browser then signs in with the same credentials and goes to `data`. */
export async function signUpAction(formData: FormData): Promise<ActionResult<string>> {
  const parsed = CreateAccountSchema.safeParse({
    email: formData.get("email") ?? "",
    password: formData.get("password") ?? "",
    roles: formData.getAll("roles"),
  });
  if (!parsed.success) return actionInvalid(parsed.error, (path) => path.split(".")[0] ?? path);

  const wait = authRateLimiter(env().AUTH_RATE_LIMIT_PER_MINUTE).hit(`signup:${await clientAddress()}`);
  if (wait > 0) {
    return {
      ok: false,
      error: `Too many sign-ups from your network. Please try again in ${wait} s.`,
      fields: {},
    };
  }
  try {
    const { account } = await createAccount(parsed.data, { withApiKey: false });
    return actionOk(dashboardPath(account.roles));
  } catch (error) {
    return actionFailed(error);
  }
}
