import Link from "next/link";
import { gpuRequestLabel } from "@/lib/gpu-names";
import { Badge, StateBadge } from "@/components/ui/badge";
import type { DeploymentSummary } from "@/lib/deployments/deployment-queries";
import { perHour } from "@/lib/format";
import { TimeAgo } from "./time-ago";

function ordersLine(summary: DeploymentSummary): string {
  const { orders } = summary;
  const open = orders.filter((order) => order.state === "open").length;
  const gpus = [
    ...new Set(
      orders
        .filter((order) => order.resources.gpu.units > 0)
        .map((order) => gpuRequestLabel(order.resources.gpu)),
    ),
  ];
  const count = `${orders.length} ${orders.length === 1 ? "order" : "orders"}${open > 0 ? ` · ${open} open` : ""}`;
  return gpus.length > 0 ? `${count} · ${gpus.join(" + ")}` : count;
}

/** The tenant's deployments, newest first: state, orders, running leases and what they cost per hour. */
export function DeploymentsList({ deployments, now }: { deployments: DeploymentSummary[]; now: Date }) {
  return (
    <ul className="-my-3 divide-y divide-slate-100" aria-label="Deployments">
      {deployments.map((summary) => {
        const { deployment } = summary;
        const running = summary.leases.filter((lease) => lease.state !== "closed");
        const spend = running.reduce((sum, lease) => sum + lease.pricePerHour, 0n);
        const waiting =
          deployment.state === "active" &&
          running.length === 0 &&
          summary.orders.some((order) => order.state === "open");
        return (
          <li key={deployment.id} data-testid="deployment-row">
            <Link
              href={`/tenant/deployments/${deployment.id}`}
              className="-mx-4 flex flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3 hover:bg-slate-50 sm:-mx-5 sm:flex-nowrap sm:px-5"
            >
              <div className="w-full min-w-0 text-sm sm:w-auto sm:flex-1">
                <p className="truncate font-semibold text-slate-900">{deployment.name}</p>
                <p className="truncate text-xs text-slate-500">{ordersLine(summary)}</p>
              </div>
              <div className="flex items-center gap-2 sm:w-44">
                <StateBadge state={deployment.state} />
                {running.length > 0 ? (
                  <Badge tone="green">
                    {running.length} {running.length === 1 ? "lease" : "leases"}
                  </Badge>
                ) : (
                  waiting && <Badge tone="amber">awaiting bids</Badge>
                )}
              </div>
              <div className="ml-auto text-right text-sm tabular-nums sm:ml-0 sm:w-32">
                <p className="font-semibold text-slate-900">{running.length > 0 ? perHour(spend) : "—"}</p>
                <p className="text-xs text-slate-500">
                  posted <TimeAgo date={deployment.createdAt} now={now} />
                </p>
              </div>
              <span aria-hidden className="hidden text-slate-400 sm:block">
                ›
              </span>
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
