import { issueSiweNonce } from "@/lib/accounts/sign-in-with-ethereum";
import { authRateLimiter } from "@/lib/auth/rate-limit";
import { env } from "@/lib/env";

export const dynamic = "force-dynamic";

/**
 * A fresh single-use nonce for a Sign-In with Ethereum message. Rate-limited per client
 * (X-Forwarded-For is written by scripts/serve.ts from the socket, or by a trusted proxy).
 */
export async function GET(request: Request): Promise<Response> {
  const client = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() || "direct";
  const wait = authRateLimiter(env().AUTH_RATE_LIMIT_PER_MINUTE).hit(`siwe-nonce:${client}`);
  if (wait > 0) {
    return Response.json(
      { error: { code: "RATE_LIMITED", message: `too many sign-in attempts; try again in ${wait} s` } },
      { status: 429, headers: { "retry-after": String(wait) } },
    );
  }
  return Response.json({ nonce: await issueSiweNonce() }, { headers: { "cache-control": "no-store" } });
}
