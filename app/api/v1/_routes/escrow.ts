import { z } from "zod";
import { chainRuntime } from "@/lib/chain/runtime";
import { requireChain } from "@/lib/escrow/chain-reads";
import { depositToEscrow } from "@/lib/escrow/deposits";
import { earningsForCaller, escrowForCaller, retryChainTx, setAutoTopUp } from "@/lib/escrow/escrow-service";
import { earningsToWire, escrowToWire, reconciliationToWire, walletToWire } from "@/lib/escrow/escrow-wire";
import { formatTokenAmount } from "@/lib/escrow/amounts";
import { reconcileAsAdmin } from "@/lib/escrow/reconcile";
import { useFaucet, walletView } from "@/lib/escrow/wallet";
import { requestWithdrawal } from "@/lib/escrow/withdrawals";
import { defineRoute } from "../_lib/route";
import { IdParams, Timestamp, TokenAmount } from "./schemas";

const Address = z.string().describe("0x-prefixed EVM address");

const ChainTxWire = z.object({
  id: z.string(),
  kind: z.string(),
  status: z.enum(["pending", "signed", "submitted", "confirmed", "failed"]),
  amount: TokenAmount.nullable(),
  txHash: z.string().nullable(),
  error: z.string().nullable(),
  createdAt: Timestamp,
  confirmedAt: Timestamp.nullable(),
});

const EscrowWire = z.object({
  id: z.string(),
  state: z.enum(["pending", "open", "overdrawn", "closed"]),
  chainAccountId: z.string(),
  owner: Address,
  token: z.string(),
  balance: TokenAmount.describe("Sum of the escrow's ledger entries"),
  deposited: TokenAmount,
  paidOut: TokenAmount,
  refunded: TokenAmount,
  pendingDeposits: TokenAmount.describe("Deposits sent but not confirmed yet"),
  unsettled: TokenAmount.describe("Run since the last settlement, not paid yet (estimate)"),
  ratePerHour: TokenAmount.describe("Sum of the hourly prices of the running leases"),
  runwaySeconds: z
    .number()
    .int()
    .nullable()
    .describe("How long the balance lasts at that rate; null when nothing runs"),
  lowRunway: z.boolean(),
  autoTopUp: z.object({ amount: TokenAmount, belowSeconds: z.number().int() }).nullable(),
  transactions: z.array(ChainTxWire),
});

/** Where a repeated request must do nothing new: the Idempotency-Key, else this request alone. */
function requestKeyOf(request: Request, requestId: string): string {
  return request.headers.get("idempotency-key") ?? requestId;
}

export const escrowRoutes = [
  defineRoute({
    method: "GET",
    path: "/wallet",
    operationId: "getWallet",
    summary: "The caller's managed wallet: deposit address, token and gas balance",
    tag: "escrow",
    auth: "apiKey",
    success: {
      status: 200,
      description: "The wallet",
      schema: z.object({
        wallet: z.object({
          address: Address,
          token: z.string(),
          balance: TokenAmount,
          available: TokenAmount.describe("Balance less deposits on their way"),
          pendingDeposits: TokenAmount,
          gasBalanceWei: z.string(),
          faucet: z.boolean().describe("A test faucet is available (local chain)"),
        }),
      }),
    },
    errors: [401, 409, 502],
    handler: async ({ principal }) => {
      const { chain, settings } = requireChain(chainRuntime());
      const view = await walletView(chain, settings, principal.accountId);
      return {
        status: 200,
        body: { wallet: walletToWire(view, settings.tokenSymbol, settings.tokenDecimals) },
      };
    },
  }),
  defineRoute({
    method: "POST",
    path: "/wallet/faucet",
    operationId: "useFaucet",
    summary: "Local chain only: 1,000 test tokens and gas for the caller's wallet",
    tag: "escrow",
    auth: "apiKey",
    success: {
      status: 202,
      description: "Minting is queued",
      schema: z.object({
        faucet: z.object({ address: Address, amount: TokenAmount, chainTxId: z.string() }),
      }),
    },
    errors: [401, 403, 409, 502],
    handler: async ({ principal, request, requestId }) => {
      const { chain, settings } = requireChain(chainRuntime());
      const result = await useFaucet(chain, settings, principal.accountId, requestKeyOf(request, requestId));
      return {
        status: 202,
        body: {
          faucet: {
            address: result.address,
            amount: formatTokenAmount(result.amount, settings.tokenDecimals),
            chainTxId: result.chainTxId,
          },
        },
      };
    },
  }),
  defineRoute({
    method: "POST",
    path: "/deployments/{id}/deposits",
    operationId: "depositToEscrow",
    summary: "Deposit from the caller's wallet into the deployment's escrow",
    tag: "escrow",
    auth: "apiKey",
    params: IdParams,
    body: z.strictObject({
      amount: z.string().describe('Token amount, e.g. "25.00"; at most the token\'s decimals'),
    }),
    success: {
      status: 202,
      description: "The deposit is queued for the chain",
      schema: z.object({
        deposit: z.object({
          chainTxId: z.string(),
          amount: TokenAmount,
          from: Address,
          escrowAccountId: z.string(),
        }),
      }),
    },
    errors: [401, 402, 403, 404, 409, 422, 502],
    handler: async ({ principal, params, body, request, requestId }) => {
      const { chain, settings } = requireChain(chainRuntime());
      const deposit = await depositToEscrow(chain, settings, principal, {
        deploymentId: params.id,
        amount: body.amount,
        requestKey: requestKeyOf(request, requestId),
      });
      return {
        status: 202,
        body: {
          deposit: {
            chainTxId: deposit.chainTxId,
            amount: formatTokenAmount(deposit.amount, settings.tokenDecimals),
            from: deposit.from,
            escrowAccountId: deposit.escrowAccountId,
          },
        },
      };
    },
  }),
  defineRoute({
    method: "GET",
    path: "/deployments/{id}/escrow",
    operationId: "getEscrow",
    summary: "The deployment's escrow: balance, runway, recent chain transactions",
    tag: "escrow",
    auth: "apiKey",
    params: IdParams,
    success: {
      status: 200,
      description: "The escrow (null before the first deposit)",
      schema: z.object({ escrow: EscrowWire.nullable() }),
    },
    errors: [401, 404, 409],
    handler: async ({ principal, params }) => {
      const { settings } = requireChain(chainRuntime());
      const view = await escrowForCaller(settings, principal, params.id);
      return { status: 200, body: { escrow: view ? escrowToWire(view) : null } };
    },
  }),
  defineRoute({
    method: "PUT",
    path: "/deployments/{id}/escrow/auto-top-up",
    operationId: "setAutoTopUp",
    summary: "Deposit `amount` whenever the runway falls below `belowSeconds`; `enabled: false` turns it off",
    tag: "escrow",
    auth: "apiKey",
    params: IdParams,
    body: z.strictObject({
      enabled: z.boolean(),
      amount: z.string().optional().describe("Required when enabled: token amount per top-up"),
      belowSeconds: z
        .number()
        .int()
        .optional()
        .describe("Required when enabled: top up when the runway is below this"),
    }),
    success: { status: 200, description: "Saved", schema: z.object({ escrow: EscrowWire.nullable() }) },
    errors: [401, 404, 409, 422],
    handler: async ({ principal, params, body }) => {
      const { settings } = requireChain(chainRuntime());
      await setAutoTopUp(
        settings,
        principal,
        params.id,
        body.enabled ? { amount: body.amount, belowSeconds: body.belowSeconds } : null,
      );
      const view = await escrowForCaller(settings, principal, params.id);
      return { status: 200, body: { escrow: view ? escrowToWire(view) : null } };
    },
  }),
  defineRoute({
    method: "GET",
    path: "/provider/earnings",
    operationId: "getEarnings",
    summary: "What the escrow owes the provider (withdrawable), what runs unsettled, and past payouts",
    tag: "provider",
    auth: "apiKey",
    success: {
      status: 200,
      description: "Earnings",
      schema: z.object({
        earnings: z.object({
          address: Address,
          token: z.string(),
          withdrawable: TokenAmount,
          accrued: TokenAmount.describe("Run since the last settlement (estimate)"),
          totalEarned: TokenAmount,
          pendingWithdrawal: ChainTxWire.nullable(),
          payouts: z.array(z.object({ amount: TokenAmount, to: Address, txHash: z.string(), at: Timestamp })),
        }),
      }),
    },
    errors: [401, 403, 409],
    handler: async ({ principal }) => {
      const { settings } = requireChain(chainRuntime());
      return {
        status: 200,
        body: { earnings: earningsToWire(await earningsForCaller(settings, principal)) },
      };
    },
  }),
  defineRoute({
    method: "POST",
    path: "/provider/withdrawals",
    operationId: "withdrawEarnings",
    summary: "Withdraw everything the escrow owes the provider, to its wallet or to `to`",
    tag: "provider",
    auth: "apiKey",
    body: z.strictObject({ to: z.string().optional() }),
    success: {
      status: 202,
      description: "The withdrawal is queued for the chain",
      schema: z.object({ withdrawal: z.object({ chainTxId: z.string(), amount: TokenAmount, to: Address }) }),
    },
    errors: [401, 403, 409, 422, 502],
    handler: async ({ principal, body, request, requestId }) => {
      const { chain, settings } = requireChain(chainRuntime());
      const result = await requestWithdrawal(chain, settings, principal, {
        to: body.to,
        requestKey: requestKeyOf(request, requestId),
      });
      return {
        status: 202,
        body: {
          withdrawal: {
            chainTxId: result.chainTxId,
            amount: formatTokenAmount(result.amount, settings.tokenDecimals),
            to: result.to,
          },
        },
      };
    },
  }),
  defineRoute({
    method: "GET",
    path: "/admin/reconciliation",
    operationId: "reconcileEscrow",
    summary: "Admin: compare every escrow account, lease and payee in the database with the chain",
    tag: "admin",
    auth: "apiKey",
    success: {
      status: 200,
      description: "Differences (empty when they agree)",
      schema: z.object({
        reconciliation: z.object({
          checkedAt: Timestamp,
          chainId: z.number().int(),
          headBlock: z.string(),
          indexedBlock: z.string().nullable(),
          accounts: z.number().int(),
          leases: z.number().int(),
          payees: z.number().int(),
          differences: z.array(
            z.object({
              subject: z.string(),
              id: z.string(),
              field: z.string(),
              database: z.string(),
              chain: z.string(),
            }),
          ),
        }),
      }),
    },
    errors: [401, 403, 409, 502],
    handler: async ({ principal }) => {
      const result = await reconcileAsAdmin(principal, chainRuntime());
      return { status: 200, body: { reconciliation: reconciliationToWire(result) } };
    },
  }),
  defineRoute({
    method: "POST",
    path: "/admin/chain-txs/{id}/retry",
    operationId: "retryChainTx",
    summary: "Admin: sign a failed chain transaction again with a fresh nonce",
    tag: "admin",
    auth: "apiKey",
    params: IdParams,
    success: { status: 202, description: "Queued again", schema: z.object({ retried: z.literal(true) }) },
    errors: [401, 403, 404, 409],
    handler: async ({ principal, params }) => {
      await retryChainTx(principal, params.id);
      return { status: 202, body: { retried: true as const } };
    },
  }),
];
