import Link from "next/link";
import type { ReactNode } from "react";
import { CopyButton } from "@/components/deployment/copy-button";
import { TimeAgo } from "@/components/deployment/time-ago";
import { StateBadge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { ShortId } from "@/components/ui/short-id";
import { perHour } from "@/lib/format";
import type { LeaseRecord } from "@/lib/market/market.repository";
import type { LeaseVerificationView } from "@/lib/verify/verification-queries";
import { LeaseEventsList } from "./lease-events-list";
import { LeaseLogViewer } from "./lease-log-viewer";
import { ServiceUriList } from "./service-uri-list";
import { UptimeBar } from "./uptime-bar";
import { VerificationRefresh } from "./verification-refresh";
import { workloadStatusView } from "./verification-format";
import { WorkloadStatusBadge } from "./workload-status-badge";

/** Verified time and heartbeats move on every check (every few seconds) without a lease event. */
const ACTIVE_REFRESH_MS = 5_000;

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className="font-medium text-slate-900">{children}</dd>
    </div>
  );
}

/**
 * One lease as its tenant or its provider sees it: who runs it at what price, the workload's
 * status and service URIs, the verified-uptime record that decides what is paid, the events
 * and the live logs. The page supplies the way back and the close button for its viewer.
 */
export function LeaseView({
  lease,
  verification,
  viewer,
  now,
  back,
  actions,
}: {
  lease: LeaseRecord;
  verification: LeaseVerificationView;
  viewer: "tenant" | "provider";
  now: Date;
  back: { href: string; label: string };
  actions?: ReactNode;
}) {
  const closed = lease.state === "closed";
  const lastStretch = verification.uptime.at(-1);
  const lastCheck = lastStretch ? { verified: lastStretch.verified, reason: lastStretch.reason } : null;
  const statusProps = {
    status: verification.status,
    leaseState: lease.state,
    closeReason: lease.closeReason,
    viewer,
    lastCheck,
  };
  const endAt = lease.closedAt ?? now;
  const notRunningYet = !closed && (verification.status === "pending" || verification.status === "deploying");

  return (
    <div className="space-y-6">
      <div>
        <Link href={back.href} className="text-sm font-medium text-slate-500 hover:text-slate-800">
          ← {back.label}
        </Link>
        <div className="mt-2 flex flex-wrap items-start justify-between gap-4">
          <div className="min-w-0">
            <h1 className="flex flex-wrap items-center gap-x-3 gap-y-2 text-2xl font-bold tracking-tight text-slate-900">
              Lease
              <StateBadge state={lease.state} />
              <WorkloadStatusBadge {...statusProps} />
            </h1>
            <p className="mt-1 font-mono text-xs break-all text-slate-500">{lease.id}</p>
          </div>
          <div className="flex flex-wrap items-center gap-3">
            {!closed && <VerificationRefresh leaseId={lease.id} pollEveryMs={ACTIVE_REFRESH_MS} />}
            {actions}
          </div>
        </div>
        <dl className="mt-4 grid grid-cols-2 gap-x-6 gap-y-3 text-sm sm:flex sm:flex-wrap">
          {viewer === "tenant" ? (
            <Fact label="Provider">
              <span title={lease.provider.hostUri} className="break-words">
                {lease.provider.name}
              </span>{" "}
              <span className="font-normal text-slate-500">· {lease.provider.region}</span>
            </Fact>
          ) : (
            <Fact label="Tenant">
              <ShortId id={lease.tenantId} />
            </Fact>
          )}
          <Fact label="Price">
            <span className="font-semibold tabular-nums">{perHour(lease.pricePerHour)}</span>
          </Fact>
          <Fact label={closed ? "Closed" : "Started"}>
            <TimeAgo date={lease.closedAt ?? lease.createdAt} now={now} />
          </Fact>
          {lease.groupName && <Fact label="Group">{lease.groupName}</Fact>}
          <Fact label="Manifest">
            {lease.manifestDeliveredAt ? (
              <span className="text-emerald-700">
                fetched <TimeAgo date={lease.manifestDeliveredAt} now={now} />
              </span>
            ) : (
              <span className="font-normal text-slate-600">
                {closed ? "never fetched" : "not fetched yet"}
              </span>
            )}
            {lease.manifestVersion && (
              <span className="ml-2 inline-flex items-center gap-1 align-middle">
                <code
                  title={lease.manifestVersion}
                  className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs font-normal text-slate-700"
                >
                  {lease.manifestVersion.slice(0, 8)}…
                </code>
                <CopyButton text={lease.manifestVersion} what="manifest version" />
              </span>
            )}
          </Fact>
        </dl>
      </div>

      {closed ? (
        <div
          role="status"
          className="rounded-lg bg-slate-100 px-4 py-3 text-sm text-slate-700 ring-1 ring-inset ring-slate-200"
        >
          {workloadStatusView(statusProps).label}
          {lease.closedAt && (
            <>
              {" "}
              <TimeAgo date={lease.closedAt} now={now} />
            </>
          )}
          . The workload is stopped; its uptime record, events and last logs stay here.
        </div>
      ) : verification.status === "manifest_rejected" ? (
        <div
          role="status"
          className="rounded-lg bg-red-50 px-4 py-3 text-sm text-red-800 ring-1 ring-inset ring-red-200"
        >
          {viewer === "tenant"
            ? "The provider's agent refused this lease's manifest (its version did not match). Nothing is paid for this time; the verifier closes the lease if the workload never runs."
            : "Your agent refused this lease's manifest (its version did not match the lease's). Nothing is paid until the workload runs and is verified; the verifier closes a lease that never runs."}
        </div>
      ) : (
        notRunningYet && (
          <div
            role="status"
            className="rounded-lg bg-brand-50 px-4 py-3 text-sm text-brand-700 ring-1 ring-inset ring-brand-600/20"
          >
            {viewer === "tenant"
              ? "The provider's agent is fetching the manifest and starting your services. Paying starts only once the verifier sees them running; a lease that never runs closes by itself and costs nothing."
              : verification.status === "pending"
                ? "Your agent has not reported this lease yet. Run the provider agent (npx bidcloud agent --config agent.yaml): it fetches the manifest, deploys, and sends signed heartbeats. Only verified time is paid."
                : "Your agent is deploying. Paying starts once the verifier finds every service ready and its URIs answering."}
          </div>
        )
      )}

      <div className="grid gap-6 lg:grid-cols-3">
        <Card
          title="Services"
          description={
            closed
              ? "As last reported before the lease closed."
              : viewer === "tenant"
                ? "Open a URI to reach your workload."
                : "Where the tenant reaches the workload; the verifier probes these URIs."
          }
          className="min-w-0 lg:col-start-3 lg:row-start-1 lg:self-start"
        >
          <ServiceUriList services={verification.services} running={!closed} />
        </Card>
        <Card
          title="Verified uptime"
          description="The verifier checks the lease every few seconds: a fresh signed heartbeat, every service ready, its URIs answering."
          className="min-w-0 lg:col-span-2 lg:col-start-1 lg:row-start-1"
        >
          <UptimeBar
            uptime={verification.uptime}
            openedAt={lease.createdAt}
            endAt={endAt}
            verifiedSeconds={verification.verifiedSeconds}
            elapsedSeconds={verification.elapsedSeconds}
            closed={closed}
          />
          <dl className="mt-4 grid grid-cols-2 gap-x-4 gap-y-3 border-t border-slate-100 pt-4 text-sm sm:grid-cols-3">
            <Fact label="Last heartbeat">
              {verification.lastHeartbeatAt ? (
                <TimeAgo date={verification.lastHeartbeatAt} now={now} />
              ) : (
                <span className="font-normal text-slate-500">none yet</span>
              )}
            </Fact>
            <Fact label="Last probe">
              {verification.lastProbeAt ? (
                <>
                  <span className={verification.lastProbeOk ? "text-emerald-700" : "text-red-700"}>
                    {verification.lastProbeOk ? "answered" : "failed"}
                  </span>{" "}
                  <span className="font-normal text-slate-500">
                    <TimeAgo date={verification.lastProbeAt} now={now} />
                  </span>
                </>
              ) : (
                <span className="font-normal text-slate-500">none yet</span>
              )}
            </Fact>
            <Fact label="Checks">
              <span className="tabular-nums">{verification.checks}</span>
              {verification.failedChecks > 0 && (
                <span className="font-normal text-red-700"> · {verification.failedChecks} failed</span>
              )}
            </Fact>
          </dl>
        </Card>
      </div>

      <Card
        title="Logs"
        description="The workload's output, as the provider's agent sends it with each heartbeat."
      >
        <LeaseLogViewer leaseId={lease.id} services={verification.services.map((service) => service.name)} />
      </Card>

      <Card
        title="Events"
        description="Newest first: what the provider's agent reported and what the verifier found."
      >
        <LeaseEventsList events={verification.events} now={now} />
      </Card>
    </div>
  );
}
