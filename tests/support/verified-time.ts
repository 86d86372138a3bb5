import { db } from "@/lib/db";

/**
 * Credits a lease with verified time, as the verifier's checks would after `seconds` of
 * good heartbeats and probes. For tests of the escrow's settlement mechanics, which start
 * from "this much time was verified"; how the verifier counts that time is tested in
 * tests/integration/verifier.test.ts and, with real agents, tests/integration/provider-agent.test.ts.
 */
export async function creditVerifiedTime(leaseId: string, seconds: number): Promise<void> {
  const millis = BigInt(seconds) * 1000n;
  await db().leaseVerification.upsert({
    where: { leaseId },
    create: { leaseId, verifiedMillis: millis, status: "running" },
    update: { verifiedMillis: { increment: millis } },
  });
}
