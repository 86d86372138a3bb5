import { db } from "@/lib/db";
import { logger } from "@/lib/logger";
import { formatTokenAmount } from "./amounts";
import type { EscrowChain } from "./chain-port";
import { depositToEscrow } from "./deposits";
import { escrowOfDeployment } from "./escrow-queries";
import type { EscrowSettings } from "./settings";

/**
 * Auto top-up: an escrow with it on gets its configured amount from the tenant's wallet when
 * its runway falls below the configured seconds and no deposit is already on its way. Runs
 * with settlement. The request key is the runway window, so two runs in the same window
 * queue one deposit.
 */
export async function runAutoTopUps(
  chain: EscrowChain,
  settings: EscrowSettings,
  now = new Date(),
): Promise<number> {
  const accounts = await db().escrowAccount.findMany({
    where: {
      chainId: settings.chainId,
      state: { in: ["open", "overdrawn"] },
      autoTopUpAmount: { not: null },
    },
    include: { deployment: { select: { tenantId: true, state: true } } },
  });
  let queued = 0;
  for (const account of accounts) {
    if (account.deployment.state !== "active" || account.autoTopUpBelowSeconds === null) continue;
    const view = await escrowOfDeployment(settings, account.deploymentId, now);
    if (!view || view.runwaySeconds === null || view.pendingDeposits > 0n) continue;
    if (view.runwaySeconds >= BigInt(account.autoTopUpBelowSeconds)) continue;
    try {
      const window = Math.floor(now.getTime() / 1000 / Math.max(60, account.autoTopUpBelowSeconds));
      await depositToEscrow(
        chain,
        settings,
        // The tenant switched this on for its own deployment; the run acts as that tenant.
        { accountId: account.deployment.tenantId, email: null, ethAddress: null, roles: ["tenant"] },
        {
          deploymentId: account.deploymentId,
          amount: formatTokenAmount(account.autoTopUpAmount!, settings.tokenDecimals),
          requestKey: `auto-top-up:${account.id}:${window}`,
        },
      );
      queued++;
    } catch (error) {
      logger.warn("auto top-up could not deposit", { escrowAccountId: account.id, error });
    }
  }
  return queued;
}
