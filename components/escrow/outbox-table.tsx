import { EmptyState } from "@/components/ui/card";
import { ConfirmAction } from "@/components/ui/confirm-action";
import type { FormAction } from "@/components/ui/form-state";
import { ShortId } from "@/components/ui/short-id";
import { StackCell, StackRow, StackTable } from "@/components/ui/stack-table";
import type { AdminChainTxRow } from "@/lib/escrow/admin-queries";
import { timeAgo } from "@/lib/format";
import { ChainTxStatusBadge, chainTxKindLabel } from "./escrow-badges";
import { ShortHex, TxHashCell } from "./short-hex";

/** Admin: chain writes in the outbox, newest first; a failed one can be signed again. */
export function OutboxTable({
  rows,
  retryAction,
  emptyTitle,
  now,
}: {
  rows: AdminChainTxRow[];
  retryAction: FormAction;
  emptyTitle: string;
  now: Date;
}) {
  if (rows.length === 0) {
    return (
      <EmptyState title={emptyTitle}>
        Chain writes (deposits, lease openings, settlements, withdrawals) queue here until the chain confirms
        them.
      </EmptyState>
    );
  }
  return (
    <StackTable head={["Transaction", "Status", "Signer", "Nonce", "Hash", "Updated", ""]}>
      {rows.map((row) => (
        <StackRow key={row.id}>
          <StackCell label="" primary>
            <span className="font-medium text-slate-900">{chainTxKindLabel(row.kind)}</span>{" "}
            <ShortId id={row.id} />
          </StackCell>
          <StackCell label="Status">
            <ChainTxStatusBadge status={row.status} />
            {row.lastError && (
              <span
                className="mt-0.5 block max-w-64 truncate text-xs text-red-600 max-sm:whitespace-normal"
                title={row.lastError}
              >
                {row.lastError}
              </span>
            )}
          </StackCell>
          <StackCell label="Signer">
            <span className="text-xs text-slate-500">{row.signer}</span>{" "}
            <ShortHex value={row.fromAddress} what="signer address" />
          </StackCell>
          <StackCell label="Nonce" className="tabular-nums">
            {row.nonce ?? <span className="text-slate-400">—</span>}
            <span className="block text-xs text-slate-500">
              {row.attempts} attempt{row.attempts === 1 ? "" : "s"}
            </span>
          </StackCell>
          <StackCell label="Hash">
            <TxHashCell hash={row.txHash} />
          </StackCell>
          <StackCell label="Updated" className="text-slate-500">
            {timeAgo(row.updatedAt, now)}
          </StackCell>
          <StackCell label="" actions>
            {row.status === "failed" && (
              <ConfirmAction
                action={retryAction}
                fields={{ id: row.id }}
                label="Retry"
                confirmLabel="Retry"
                prompt="Sign again?"
                variant="primary"
                accessibleName={`Retry ${chainTxKindLabel(row.kind).toLowerCase()} ${row.id.slice(-6)}`}
              />
            )}
          </StackCell>
        </StackRow>
      ))}
    </StackTable>
  );
}
