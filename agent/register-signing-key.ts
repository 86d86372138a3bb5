import type { PrivateKeyAccount } from "viem/accounts";
import type { ApiClient } from "./api";
import { signingKeyProof } from "./heartbeat";
import type { AgentLog } from "./log";
import type { AgentProvider } from "./market-wire";

/**
 * Makes the provider's registered signing address the agent's key: the verifier accepts only
 * heartbeats signed by it. Registers (PUT /provider/signing-key, with a signature proving the
 * key is held) only when it differs, so restarts do not rewrite it. Throws the API's error.
 */
export async function registerSigningKey(
  api: ApiClient,
  account: PrivateKeyAccount,
  provider: AgentProvider,
  log: AgentLog,
): Promise<void> {
  if (provider.signingAddress?.toLowerCase() === account.address.toLowerCase()) {
    log.info("signing key registered", { address: account.address });
    return;
  }
  await api.registerSigningKey(await signingKeyProof(account, provider.id));
  log.info("signing key registered", {
    address: account.address,
    previous: provider.signingAddress ?? "none",
  });
}
