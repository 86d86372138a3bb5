import { generateApiKey } from "@/lib/auth/api-key-token";
import { hashPassword } from "@/lib/auth/password";
import type { Role } from "@/lib/auth/principal";
import { transaction, translateDbError } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { env } from "@/lib/env";
import { findAccountByEmail, insertAccount, type AccountRecord } from "./account.repository";
import { insertApiKey } from "./api-key.repository";
import type { CreateAccountInput } from "./account.schemas";

/** Creates an email account and its first API key (shown once). */
export async function createAccount(
  input: CreateAccountInput,
): Promise<{ account: AccountRecord; apiKey: string }> {
  const roles: Role[] = [...new Set(input.roles)];
  if (env().ADMIN_EMAILS.includes(input.email)) roles.push("admin");
  const passwordHash = await hashPassword(input.password, env().PASSWORD_SCRYPT_LOG_N);
  const token = generateApiKey();
  try {
    return await transaction(async (tx) => {
      if (await findAccountByEmail(tx, input.email)) {
        throw new AppError("CONFLICT", "an account with this email already exists", {
          fields: [{ path: "email", message: "is already registered" }],
        });
      }
      const account = await insertAccount(tx, { email: input.email, passwordHash, roles });
      await insertApiKey(tx, {
        accountId: account.id,
        name: "default",
        prefix: token.prefix,
        hash: token.hash,
      });
      return { account, apiKey: token.key };
    });
  } catch (error) {
    const translated = translateDbError(error);
    if (translated instanceof AppError && translated.code === "CONFLICT") {
      throw new AppError("CONFLICT", "an account with this email already exists", {
        fields: [{ path: "email", message: "is already registered" }],
        cause: error,
      });
    }
    throw translated;
  }
}
