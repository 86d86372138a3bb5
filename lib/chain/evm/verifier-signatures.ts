import { keccak256, recoverTypedDataAddress, toBytes, type Hex } from "viem";
import { HEARTBEAT_TYPES, SIGNING_KEY_TYPES, VERIFIER_DOMAIN, type Heartbeat } from "@/lib/verify/protocol";

/**
 * Who signed a heartbeat or a signing-key proof (lowercase address), or null when the
 * signature does not recover at all. The verifier's EIP-712 recovery lives with the EVM
 * adapter, so lib/verify stays free of viem.
 */
export async function heartbeatSigner(heartbeat: Heartbeat, signature: string): Promise<string | null> {
  return recover(() =>
    recoverTypedDataAddress({
      domain: VERIFIER_DOMAIN,
      types: HEARTBEAT_TYPES,
      primaryType: "Heartbeat",
      message: {
        leaseId: heartbeat.leaseId,
        sequence: BigInt(heartbeat.sequence),
        time: BigInt(heartbeat.time),
        servicesReady: heartbeat.servicesReady,
        reportHash: heartbeat.reportHash as Hex,
      },
      signature: signature as Hex,
    }),
  );
}

export async function signingKeyProofSigner(
  providerId: string,
  address: string,
  signature: string,
): Promise<string | null> {
  return recover(() =>
    recoverTypedDataAddress({
      domain: VERIFIER_DOMAIN,
      types: SIGNING_KEY_TYPES,
      primaryType: "ProviderSigningKey",
      message: { providerId, signer: address as Hex },
      signature: signature as Hex,
    }),
  );
}

/** keccak256 of a report's UTF-8 bytes, as a heartbeat's reportHash carries it. */
export function reportHashOf(report: string): string {
  return keccak256(toBytes(report));
}

async function recover(work: () => Promise<string>): Promise<string | null> {
  try {
    return (await work()).toLowerCase();
  } catch {
    return null;
  }
}
