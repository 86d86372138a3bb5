import { keccak256, toBytes, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import {
  HEARTBEAT_TYPES,
  SIGNING_KEY_TYPES,
  VERIFIER_DOMAIN,
  type WorkloadReport,
} from "@/lib/verify/protocol";

/** A heartbeat request as an agent builds it, signed by `key`; parts can be overridden to forge one. */
export async function signedHeartbeat(
  key: Hex,
  leaseId: string,
  options: {
    sequence: number;
    time?: number;
    report?: Partial<WorkloadReport>;
    servicesReady?: string[];
  },
) {
  const report = JSON.stringify({ status: "running", services: [], events: [], logs: [], ...options.report });
  const heartbeat = {
    leaseId,
    sequence: options.sequence,
    time: options.time ?? Math.floor(Date.now() / 1000),
    servicesReady: options.servicesReady ?? [],
    reportHash: keccak256(toBytes(report)),
  };
  const signature = await privateKeyToAccount(key).signTypedData({
    domain: VERIFIER_DOMAIN,
    types: HEARTBEAT_TYPES,
    primaryType: "Heartbeat",
    message: { ...heartbeat, sequence: BigInt(heartbeat.sequence), time: BigInt(heartbeat.time) },
  });
  return { heartbeat, report, signature };
}

/** The body of PUT /provider/signing-key for `key`. */
export async function signingKeyProof(key: Hex, providerId: string) {
  const account = privateKeyToAccount(key);
  const signature = await account.signTypedData({
    domain: VERIFIER_DOMAIN,
    types: SIGNING_KEY_TYPES,
    primaryType: "ProviderSigningKey",
    message: { providerId, signer: account.address },
  });
  return { address: account.address, signature };
}
