import { z } from "zod";
import { CreateAccountSchema } from "@/lib/accounts/account.schemas";
import { createAccount } from "@/lib/accounts/create-account";
import { getOwnAccount } from "@/lib/accounts/get-account";
import { createApiKey, listOwnApiKeys, revokeOwnApiKey } from "@/lib/accounts/manage-api-keys";
import { accountToWire, apiKeyToWire } from "@/lib/accounts/wire-format";
import { ApiKeyNameSchema } from "@/lib/accounts/account.schemas";
import { AppError } from "@/lib/errors";
import { authRateLimiter } from "@/lib/auth/rate-limit";
import { env } from "@/lib/env";
import { defineRoute } from "../_lib/route";
import { AccountWire, ApiKeyWire, IdParams } from "./schemas";

export const accountRoutes = [
  defineRoute({
    method: "POST",
    path: "/accounts",
    operationId: "createAccount",
    summary: "Sign up with email and password; returns the account and its first API key (shown once)",
    tag: "accounts",
    auth: "public",
    body: CreateAccountSchema,
    success: {
      status: 201,
      description: "Account created",
      schema: z.object({ account: AccountWire, apiKey: z.string() }),
    },
    errors: [400, 409, 413, 422, 429],
    secretFields: ["apiKey"],
    handler: async ({ body, clientAddress }) => {
      const wait = authRateLimiter(env().AUTH_RATE_LIMIT_PER_MINUTE).hit(`signup:${clientAddress}`);
      if (wait > 0) throw new AppError("RATE_LIMITED", `too many sign-ups; try again in ${wait} s`);
      const { account, apiKey } = await createAccount(body, { withApiKey: true });
      return { status: 201, body: { account: accountToWire(account), apiKey } };
    },
  }),
  defineRoute({
    method: "GET",
    path: "/me",
    operationId: "getMe",
    summary: "The calling account",
    tag: "accounts",
    auth: "apiKey",
    success: { status: 200, description: "The account", schema: z.object({ account: AccountWire }) },
    errors: [401, 403],
    handler: async ({ principal }) => ({
      status: 200,
      body: { account: accountToWire(await getOwnAccount(principal)) },
    }),
  }),
  defineRoute({
    method: "GET",
    path: "/api-keys",
    operationId: "listApiKeys",
    summary: "The caller's API keys (never the keys themselves)",
    tag: "accounts",
    auth: "apiKey",
    success: { status: 200, description: "Keys", schema: z.object({ apiKeys: z.array(ApiKeyWire) }) },
    errors: [401, 403],
    handler: async ({ principal }) => ({
      status: 200,
      body: { apiKeys: (await listOwnApiKeys(principal)).map(apiKeyToWire) },
    }),
  }),
  defineRoute({
    method: "POST",
    path: "/api-keys",
    operationId: "createApiKey",
    summary: "Create an API key; the key is in this response only",
    tag: "accounts",
    auth: "apiKey",
    body: z.strictObject({ name: ApiKeyNameSchema }),
    success: {
      status: 201,
      description: "Key created",
      schema: z.object({ apiKey: ApiKeyWire, key: z.string() }),
    },
    errors: [401, 403, 409, 422],
    secretFields: ["key"],
    handler: async ({ principal, body }) => {
      const { apiKey, key } = await createApiKey(principal, body.name);
      return { status: 201, body: { apiKey: apiKeyToWire(apiKey), key } };
    },
  }),
  defineRoute({
    method: "DELETE",
    path: "/api-keys/{id}",
    operationId: "revokeApiKey",
    summary: "Revoke an API key",
    tag: "accounts",
    auth: "apiKey",
    params: IdParams,
    success: { status: 200, description: "Revoked", schema: z.object({ revoked: z.literal(true) }) },
    errors: [401, 403, 404],
    handler: async ({ principal, params }) => {
      await revokeOwnApiKey(principal, params.id);
      return { status: 200, body: { revoked: true } };
    },
  }),
];
