import { Badge, StateBadge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/card";
import { ConfirmAction } from "@/components/ui/confirm-action";
import type { FormAction } from "@/components/ui/form-state";
import { ShortId } from "@/components/ui/short-id";
import { StackCell, StackRow, StackTable } from "@/components/ui/stack-table";
import type { AccountRecord } from "@/lib/accounts/account.repository";
import { timeAgo } from "@/lib/format";

export function AccountsTable({
  accounts,
  selfId,
  statusAction,
  now,
}: {
  accounts: AccountRecord[];
  selfId: string;
  statusAction: FormAction;
  now: Date;
}) {
  if (accounts.length === 0) {
    return (
      <EmptyState title="No accounts match these filters">
        Clear the filters or search for part of an email address.
      </EmptyState>
    );
  }
  return (
    <StackTable head={["Account", "Roles", "Status", "Joined", ""]}>
      {accounts.map((account) => {
        const name = account.email ?? account.ethAddress ?? account.id;
        return (
          <StackRow key={account.id}>
            <StackCell label="" primary>
              <div className="max-w-96 break-all font-medium text-slate-900" title={name}>
                {name}
              </div>
              <ShortId id={account.id} />
            </StackCell>
            <StackCell label="Roles">
              <div className="flex gap-1">
                {account.roles.map((role) => (
                  <Badge key={role} tone={role === "admin" ? "amber" : role === "provider" ? "blue" : "gray"}>
                    {role}
                  </Badge>
                ))}
              </div>
            </StackCell>
            <StackCell label="Status">
              <StateBadge state={account.status} />
            </StackCell>
            <StackCell label="Joined" className="text-slate-500">
              {timeAgo(account.createdAt, now)}
            </StackCell>
            <StackCell label="" actions>
              {account.id === selfId ? (
                <span className="text-xs text-slate-400">you</span>
              ) : account.status === "active" ? (
                <ConfirmAction
                  action={statusAction}
                  fields={{ id: account.id, status: "suspended" }}
                  label="Suspend"
                  prompt="Closes open orders and bids."
                  accessibleName={`Suspend ${name}`}
                />
              ) : (
                <ConfirmAction
                  action={statusAction}
                  fields={{ id: account.id, status: "active" }}
                  label="Reinstate"
                  variant="primary"
                  prompt="Allow sign-in again?"
                  accessibleName={`Reinstate ${name}`}
                />
              )}
            </StackCell>
          </StackRow>
        );
      })}
    </StackTable>
  );
}
