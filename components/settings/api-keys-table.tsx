import { StateBadge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/card";
import { ConfirmAction } from "@/components/ui/confirm-action";
import type { FormAction } from "@/components/ui/form-state";
import { StackCell, StackRow, StackTable } from "@/components/ui/stack-table";
import type { ApiKeyRecord } from "@/lib/accounts/api-key.repository";
import { timeAgo } from "@/lib/format";

export function ApiKeysTable({
  keys,
  revokeAction,
  now,
}: {
  keys: ApiKeyRecord[];
  revokeAction: FormAction;
  now: Date;
}) {
  if (keys.length === 0) {
    return (
      <EmptyState title="No API keys yet">
        Create a key above to call the REST API or run the provider agent. Each key acts with your
        account&apos;s roles.
      </EmptyState>
    );
  }
  return (
    <StackTable head={["Name", "Key", "Created", "Last used", "State", ""]}>
      {keys.map((key) => (
        <StackRow key={key.id} className={key.revokedAt ? "text-slate-400" : ""}>
          <StackCell label="" primary className="max-w-48 truncate font-medium text-slate-900">
            {key.name}
          </StackCell>
          <StackCell label="Key">
            <code className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-700">
              {key.prefix}…
            </code>
          </StackCell>
          <StackCell label="Created" className="text-slate-500">
            <time dateTime={key.createdAt.toISOString()} title={key.createdAt.toUTCString()}>
              {timeAgo(key.createdAt, now)}
            </time>
          </StackCell>
          <StackCell label="Last used" className="text-slate-500">
            {key.lastUsedAt ? timeAgo(key.lastUsedAt, now) : "never"}
          </StackCell>
          <StackCell label="State">
            <StateBadge state={key.revokedAt ? "revoked" : "active"} />
          </StackCell>
          <StackCell label="" actions>
            {!key.revokedAt && (
              <ConfirmAction
                action={revokeAction}
                fields={{ id: key.id }}
                label="Revoke"
                prompt="Calls with it fail at once."
                accessibleName={`Revoke key ${key.name}`}
              />
            )}
          </StackCell>
        </StackRow>
      ))}
    </StackTable>
  );
}
