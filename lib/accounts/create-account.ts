import { generateApiKey } from "@/lib/auth/api-key-token";
import { hashPassword } from "@/lib/auth/password";
import type { Role } from "@/lib/auth/principal";
import { transaction, translateDbError } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { env } from "@/lib/env";
import { findAccountByEmail, insertAccount, type AccountRecord } from "./account.repository";
import { insertApiKey } from "./api-key.repository";
import type { CreateAccountInput } from "./account.schemas";

/**
 * Creates an email account. Signing up through the API also creates its first API key (the
 * caller needs it to go on, and sees it once); signing up in the browser does not, so no key
 * exists that its owner never saw.
 */
export async function createAccount(
  input: CreateAccountInput,
  options: { withApiKey: true },
): Promise<{ account: AccountRecord; apiKey: string }>;
export async function createAccount(
  input: CreateAccountInput,
  options: { withApiKey: false },
): Promise<{ account: AccountRecord; apiKey: null }>;
export async function createAccount(
  input: CreateAccountInput,
  options: { withApiKey: boolean },
): Promise<{ account: AccountRecord; apiKey: string | null }> {
  const roles: Role[] = [...new Set(input.roles)];
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
      if (!options.withApiKey) return { account, apiKey: null };
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
