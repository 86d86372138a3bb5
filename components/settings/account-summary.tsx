import { Badge, StateBadge } from "@/components/ui/badge";
import type { AccountRecord } from "@/lib/accounts/account.repository";

function Row({ term, children }: { term: string; children: React.ReactNode }) {
  return (
    <div className="grid gap-1 py-2.5 sm:grid-cols-3 sm:gap-4">
      <dt className="text-sm text-slate-500">{term}</dt>
      <dd className="min-w-0 text-sm text-slate-900 sm:col-span-2">{children}</dd>
    </div>
  );
}

export function AccountSummary({ account }: { account: AccountRecord }) {
  return (
    <dl className="-my-2.5 divide-y divide-slate-100">
      {account.email && (
        <Row term="Email">
          <span className="break-all">{account.email}</span>
        </Row>
      )}
      {account.ethAddress && (
        <Row term="Wallet">
          <span className="break-all font-mono text-xs">{account.ethAddress}</span>
        </Row>
      )}
      <Row term="Roles">
        <span className="flex flex-wrap gap-1">
          {account.roles.map((role) => (
            <Badge key={role} tone={role === "admin" ? "amber" : role === "provider" ? "blue" : "gray"}>
              {role}
            </Badge>
          ))}
        </span>
      </Row>
      <Row term="Status">
        <StateBadge state={account.status} />
      </Row>
      <Row term="Account ID">
        <span className="break-all font-mono text-xs text-slate-600">{account.id}</span>
      </Row>
      <Row term="Member since">
        {account.createdAt.toLocaleDateString("en-US", {
          year: "numeric",
          month: "long",
          day: "numeric",
          timeZone: "UTC",
        })}
      </Row>
    </dl>
  );
}
