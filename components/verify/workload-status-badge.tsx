import { Badge } from "@/components/ui/badge";
import type { LeaseCloseReason, LeaseState } from "@/lib/market/types";
import type { LeaseWorkloadStatus } from "@/lib/verify/protocol";
import { workloadStatusView, type LastCheck } from "./verification-format";

/**
 * The lease's workload in plain words ("Running — verified", "Not verified: no heartbeat for
 * 20 s", "Provider refused the manifest"); a long reason wraps instead of overflowing a phone.
 */
export function WorkloadStatusBadge(props: {
  status: LeaseWorkloadStatus;
  leaseState: LeaseState;
  closeReason: LeaseCloseReason | null;
  viewer: "tenant" | "provider";
  lastCheck?: LastCheck | null;
}) {
  const { label, tone } = workloadStatusView(props);
  return (
    <span data-testid="workload-status" className="max-w-full [overflow-wrap:anywhere]">
      <Badge tone={tone}>{label}</Badge>
    </span>
  );
}
