import { issueSiweNonce } from "@/lib/accounts/sign-in-with-ethereum";

export const dynamic = "force-dynamic";

/** A fresh single-use nonce for a Sign-In with Ethereum message. */
export async function GET(): Promise<Response> {
  return Response.json({ nonce: await issueSiweNonce() }, { headers: { "cache-control": "no-store" } });
}
