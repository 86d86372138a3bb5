import type { Db } from "@/lib/db";
import type { EscrowCall, Hex } from "./chain-port";
import type { SignerLabel } from "./settings";

/**
 * The outbox: a chain write is a row committed in the same transaction as the business change
 * that wants it. The worker (lib/chain/outbox-worker.ts) signs, sends and confirms it later;
 * the idempotency key makes writing the same intent twice a no-op.
 */
export type NewChainTx = {
  chainId: number;
  call: EscrowCall;
  signer: SignerLabel;
  fromAddress: Hex;
  idempotencyKey: string;
  escrowAccountId?: string | null;
  leaseId?: string | null;
};

export async function enqueueChainTx(db: Db, intent: NewChainTx): Promise<{ id: string; created: boolean }> {
  const existing = await db.chainTx.findUnique({
    where: { idempotencyKey: intent.idempotencyKey },
    select: { id: true },
  });
  if (existing) return { id: existing.id, created: false };
  const rows = await db.$queryRaw<{ id: string }[]>`
    INSERT INTO chain_tx (id, "chainId", kind, signer, "fromAddress", payload, "idempotencyKey",
                          "escrowAccountId", "leaseId", "updatedAt")
    VALUES (gen_random_uuid()::text, ${intent.chainId}, ${intent.call.kind}, ${intent.signer},
            ${intent.fromAddress}, ${JSON.stringify(callToPayload(intent.call))}::jsonb, ${intent.idempotencyKey},
            ${intent.escrowAccountId ?? null}, ${intent.leaseId ?? null}, now())
    ON CONFLICT ("idempotencyKey") DO NOTHING
    RETURNING id`;
  if (rows[0]) return { id: rows[0].id, created: true };
  const raced = await db.chainTx.findUniqueOrThrow({
    where: { idempotencyKey: intent.idempotencyKey },
    select: { id: true },
  });
  return { id: raced.id, created: false };
}

/** bigint fields become decimal strings in the stored payload. */
export function callToPayload(call: EscrowCall): Record<string, string | number> {
  return Object.fromEntries(
    Object.entries(call).map(([key, value]: [string, string | number | bigint]) => [
      key,
      typeof value === "bigint" ? value.toString() : value,
    ]),
  );
}

const BIGINT_FIELDS = new Set(["amount", "ratePerSecond"]);

export function callFromPayload(payload: unknown): EscrowCall {
  const object = payload as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(object).map(([key, value]) => [
      key,
      BIGINT_FIELDS.has(key) && typeof value === "string" ? BigInt(value) : value,
    ]),
  ) as EscrowCall;
}

export const IN_FLIGHT_STATUSES = ["pending", "signed", "submitted"] as const;

/**
 * Deposits queued or sent but not confirmed yet, from one wallet or into one escrow account:
 * the tokens have not left the wallet, nor reached the escrow.
 */
export async function inFlightDeposits(
  db: Db,
  where: { chainId: number; fromAddress: string } | { escrowAccountId: string },
): Promise<bigint> {
  const rows = await db.chainTx.findMany({
    where: { ...where, kind: "deposit", status: { in: [...IN_FLIGHT_STATUSES] } },
    select: { payload: true },
  });
  return rows.reduce((sum, row) => sum + BigInt((row.payload as { amount: string }).amount), 0n);
}
