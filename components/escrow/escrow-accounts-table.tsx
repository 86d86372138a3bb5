import { EmptyState } from "@/components/ui/card";
import { ShortId } from "@/components/ui/short-id";
import { StackCell, StackRow, StackTable } from "@/components/ui/stack-table";
import type { AdminEscrowRow } from "@/lib/escrow/admin-queries";
import { timeAgo } from "@/lib/format";
import { EscrowStateBadge } from "./escrow-badges";
import { formatTokens, type Token } from "./token-amount";

/** Admin: every deployment's escrow account, newest first, with its ledger balance. */
export function EscrowAccountsTable({
  accounts,
  token,
  now,
}: {
  accounts: AdminEscrowRow[];
  token: Token;
  now: Date;
}) {
  if (accounts.length === 0) {
    return (
      <EmptyState title="No escrow accounts yet">
        Each deployment gets one when it is posted; deposits, lease payments and refunds show here.
      </EmptyState>
    );
  }
  return (
    <StackTable head={["Deployment", "Tenant", "State", "Balance", "Active leases", "Opened"]}>
      {accounts.map((account) => (
        <StackRow key={account.id}>
          <StackCell label="" primary>
            <div className="max-w-64 truncate font-medium text-slate-900" title={account.deploymentName}>
              {account.deploymentName}
            </div>
            <ShortId id={account.deploymentId} />
          </StackCell>
          <StackCell label="Tenant" className="max-w-56 truncate">
            {account.tenantEmail ?? <span className="text-slate-400">wallet sign-in</span>}
          </StackCell>
          <StackCell label="State">
            <EscrowStateBadge state={account.state} />
          </StackCell>
          <StackCell label="Balance" className="font-semibold tabular-nums text-slate-900">
            {formatTokens(account.balance, token)}
          </StackCell>
          <StackCell label="Active leases" className="tabular-nums">
            {account.activeLeases}
          </StackCell>
          <StackCell label="Opened" className="text-slate-500">
            {timeAgo(account.createdAt, now)}
          </StackCell>
        </StackRow>
      ))}
    </StackTable>
  );
}
