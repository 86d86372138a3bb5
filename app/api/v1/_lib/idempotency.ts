import { createHash } from "node:crypto";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/db/generated/client";
import { AppError } from "@/lib/errors";

/**
 * Idempotency-Key on POST: the first request with a key claims it; the same key and body
 * replay the stored response; another body with the same key is refused; a key whose first
 * request is still running answers 409 so the client retries later.
 */
const KEY_PATTERN = /^[A-Za-z0-9_\-:.]{1,255}$/;

export type IdempotencyClaim =
  { kind: "claimed"; scope: string; key: string } | { kind: "replay"; status: number; body: unknown };

export function requestHash(method: string, path: string, body: string): string {
  return createHash("sha256").update(`${method} ${path}\n${body}`).digest("hex");
}

export async function claimIdempotencyKey(
  scope: string,
  key: string,
  hash: string,
): Promise<IdempotencyClaim> {
  if (!KEY_PATTERN.test(key)) {
    throw new AppError(
      "BAD_REQUEST",
      "Idempotency-Key must be 1-255 characters of letters, digits, '_', '-', ':', '.'",
      {
        fields: [{ path: "Idempotency-Key", message: "is not a valid key" }],
      },
    );
  }
  try {
    await db().idempotencyRecord.create({ data: { accountId: scope, key, requestHash: hash } });
    return { kind: "claimed", scope, key };
  } catch (error) {
    if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== "P2002") throw error;
  }
  const existing = await db().idempotencyRecord.findUnique({
    where: { accountId_key: { accountId: scope, key } },
  });
  if (!existing) return claimIdempotencyKey(scope, key, hash);
  if (existing.requestHash !== hash) {
    throw new AppError("VALIDATION", "this Idempotency-Key was used for a different request", {
      fields: [{ path: "Idempotency-Key", message: "was used for a different request" }],
    });
  }
  if (existing.status === null) {
    throw new AppError("CONFLICT", "a request with this Idempotency-Key is still in progress; retry shortly");
  }
  return { kind: "replay", status: existing.status, body: existing.body };
}

export async function completeIdempotencyKey(
  claim: { scope: string; key: string },
  status: number,
  body: unknown,
): Promise<void> {
  await db().idempotencyRecord.update({
    where: { accountId_key: { accountId: claim.scope, key: claim.key } },
    data: { status, body: body as Prisma.InputJsonValue },
  });
}

/** Frees a key whose request got no lasting answer (a server failure, a rate limit): a retry runs again. */
export async function releaseIdempotencyKey(claim: { scope: string; key: string }): Promise<void> {
  await db()
    .idempotencyRecord.delete({ where: { accountId_key: { accountId: claim.scope, key: claim.key } } })
    .catch(() => undefined);
}

/** Replays are for retries, not history: records older than the retention are deleted. */
export const IDEMPOTENCY_RETENTION_MS = 24 * 60 * 60 * 1000;

export async function deleteExpiredIdempotencyRecords(now = new Date()): Promise<number> {
  const result = await db().idempotencyRecord.deleteMany({
    where: { createdAt: { lt: new Date(now.getTime() - IDEMPOTENCY_RETENTION_MS) } },
  });
  return result.count;
}
