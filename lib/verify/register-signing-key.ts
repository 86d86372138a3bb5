import type { Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { requireProvider } from "@/lib/market/provider-context";
import { findProviderById, type ProviderRecord } from "@/lib/market/market.repository";
import type { SigningKeyRequest } from "./protocol";
import { signingKeyProofSigner } from "@/lib/chain/evm/verifier-signatures";

/**
 * Registers the key the provider's agent signs heartbeats with. The key proves itself by
 * signing the provider's id and its own address, so nobody can register a key they do not
 * hold (or one that signs for another provider). Replacing the key takes effect at once:
 * heartbeats signed by the old one are refused from then on.
 */
export async function registerSigningKey(
  principal: Principal,
  input: SigningKeyRequest,
): Promise<ProviderRecord> {
  const provider = await requireProvider(db(), principal);
  const address = input.address.toLowerCase();
  const signer = await signingKeyProofSigner(provider.id, input.address, input.signature);
  if (signer !== address) {
    throw new AppError(
      "VALIDATION",
      "signature: not a signature of this provider's id by the key at address",
      {
        fields: [
          { path: "signature", message: "must be the key's EIP-712 signature of { providerId, signer }" },
        ],
      },
    );
  }
  await db().provider.update({ where: { id: provider.id }, data: { signingAddress: address } });
  const updated = await findProviderById(db(), provider.id);
  if (!updated) throw new AppError("NOT_FOUND", "no provider profile");
  return updated;
}
