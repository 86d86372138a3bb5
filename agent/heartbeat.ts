import { keccak256, toBytes } from "viem";
import type { PrivateKeyAccount } from "viem/accounts";
import {
  HEARTBEAT_TYPES,
  SIGNING_KEY_TYPES,
  VERIFIER_DOMAIN,
  type HeartbeatRequest,
  type SigningKeyRequest,
  type WorkloadReport,
} from "@/lib/verify/protocol";

/**
 * Signed heartbeats (lib/verify/protocol.ts is the contract): the report travels as JSON text and
 * the heartbeat signs its keccak256, so the verifier can trust every byte of it.
 */

/**
 * The sequence must only grow for a lease, across agent restarts, with no stored state: a
 * millisecond clock does that (a restarted agent starts above any number it sent before, unless
 * the clock went back), and last + 1 keeps it growing within one process.
 */
export function nextSequence(last: number, nowMs: number): number {
  return Math.max(last + 1, nowMs);
}

/**
 * The server's last accepted sequence, from its refusal of one not above it: the 409's field
 * `heartbeat.sequence` says "must be above <N>". It is how an agent whose clock stepped back (or
 * that lost a race with an earlier process) learns where to continue; null when not that refusal.
 */
export function acceptedSequenceOf(fields: readonly { path: string; message: string }[]): number | null {
  for (const field of fields) {
    if (field.path !== "heartbeat.sequence") continue;
    const match = /must be above (\d+)/.exec(field.message);
    const sequence = match ? Number(match[1]) : NaN;
    if (Number.isSafeInteger(sequence)) return sequence;
  }
  return null;
}

export async function signHeartbeat(
  account: PrivateKeyAccount,
  input: { leaseId: string; sequence: number; timeSeconds: number; report: WorkloadReport },
): Promise<HeartbeatRequest> {
  const report = JSON.stringify(input.report);
  const heartbeat = {
    leaseId: input.leaseId,
    sequence: input.sequence,
    time: input.timeSeconds,
    servicesReady: input.report.services.filter((service) => service.ready).map((service) => service.name),
    reportHash: keccak256(toBytes(report)),
  };
  const signature = await account.signTypedData({
    domain: VERIFIER_DOMAIN,
    types: HEARTBEAT_TYPES,
    primaryType: "Heartbeat",
    message: { ...heartbeat, sequence: BigInt(heartbeat.sequence), time: BigInt(heartbeat.time) },
  });
  return { heartbeat, report, signature };
}

/** Proof for PUT /provider/signing-key that the provider holds the key it registers. */
export async function signingKeyProof(
  account: PrivateKeyAccount,
  providerId: string,
): Promise<SigningKeyRequest> {
  const signature = await account.signTypedData({
    domain: VERIFIER_DOMAIN,
    types: SIGNING_KEY_TYPES,
    primaryType: "ProviderSigningKey",
    message: { providerId, signer: account.address },
  });
  return { address: account.address, signature };
}
