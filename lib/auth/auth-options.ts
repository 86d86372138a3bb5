import type { AuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { authenticateWithPassword } from "@/lib/accounts/authenticate";
import { signInWithEthereum } from "@/lib/accounts/sign-in-with-ethereum";
import { AppError } from "@/lib/errors";
import { authSecret, env } from "@/lib/env";
import { authRateLimiter } from "./rate-limit";
import { useSecureCookies } from "./session-token";

const SESSION_MAX_AGE_SECONDS = 7 * 24 * 60 * 60;

/** X-Forwarded-For is written by scripts/serve.ts from the socket, or by a trusted proxy. */
function clientAddress(headers: Record<string, unknown> | undefined): string {
  const forwarded = headers?.["x-forwarded-for"];
  return typeof forwarded === "string" ? forwarded.split(",")[0]?.trim() || "direct" : "direct";
}

function limitSignIn(key: string): void {
  const wait = authRateLimiter(env().AUTH_RATE_LIMIT_PER_MINUTE).hit(key);
  if (wait > 0) throw new Error(`Too many attempts; try again in ${wait} s`);
}

/**
 * next-auth: email + password and Sign-In with Ethereum, JWT sessions that carry only the
 * account id (roles and suspension are read from the database on every request).
 */
export function authOptions(): AuthOptions {
  return {
    secret: authSecret(),
    useSecureCookies: useSecureCookies(),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    providers: [
      CredentialsProvider({
        id: "password",
        name: "Email and password",
        credentials: { email: { type: "email" }, password: { type: "password" } },
        async authorize(credentials, request) {
          const email = credentials?.email?.trim().toLowerCase() ?? "";
          if (!email || !credentials?.password) return null;
          // Per address (password spraying across emails) and per email (guessing one password).
          limitSignIn(`signin:${clientAddress(request.headers)}`);
          limitSignIn(`signin-email:${email}`);
          try {
            const principal = await authenticateWithPassword(email, credentials.password);
            return principal ? { id: principal.accountId, email: principal.email } : null;
          } catch (error) {
            if (error instanceof AppError) throw new Error(error.message);
            throw error;
          }
        },
      }),
      CredentialsProvider({
        id: "siwe",
        name: "Ethereum",
        credentials: { message: { type: "text" }, signature: { type: "text" } },
        async authorize(credentials, request) {
          if (!credentials?.message || !credentials.signature?.startsWith("0x")) return null;
          limitSignIn(`siwe:${clientAddress(request.headers)}`);
          try {
            const principal = await signInWithEthereum({
              message: credentials.message,
              signature: credentials.signature as `0x${string}`,
              domain: new URL(env().APP_URL).host,
            });
            return principal ? { id: principal.accountId, email: principal.email } : null;
          } catch (error) {
            if (error instanceof AppError) throw new Error(error.message);
            throw error;
          }
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) token.accountId = user.id;
        return token;
      },
      session({ session, token }) {
        return { ...session, accountId: typeof token.accountId === "string" ? token.accountId : undefined };
      },
    },
  };
}
