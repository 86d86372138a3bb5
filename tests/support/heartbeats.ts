import { keccak256, toBytes, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { signingKeyProof as agentSigningKeyProof } from "@/agent/heartbeat";
import { HEARTBEAT_TYPES, VERIFIER_DOMAIN, type WorkloadReport } from "@/lib/verify/protocol";

/**
 * A heartbeat request signed by `key`. Unlike the agent's own signHeartbeat, every part can be
 * chosen, so tests can build the forged and inconsistent ones the verifier must refuse.
 */
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

/** The body of PUT /provider/signing-key for `key`, as the agent makes it. */
export function signingKeyProof(key: Hex, providerId: string) {
  return agentSigningKeyProof(privateKeyToAccount(key), providerId);
}
