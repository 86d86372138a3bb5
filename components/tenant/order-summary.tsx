import type { ReactNode } from "react";
import { gpuRequestLabel } from "@/lib/gpu-names";
import { timeLeft } from "@/components/market/time-left";
import { cpu, perHour, size, timeAgo } from "@/lib/format";
import type { OrderRecord } from "@/lib/market/market.repository";

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="flex justify-between gap-4 py-2 text-sm">
      <dt className="text-slate-500">{label}</dt>
      <dd className="text-right font-medium tabular-nums text-slate-900">{children}</dd>
    </div>
  );
}

/** What the order asks for and on what terms. */
export function OrderSummary({ order, now }: { order: OrderRecord; now: Date }) {
  const attributes = Object.entries(order.attributes);
  return (
    <dl className="divide-y divide-slate-100">
      <Row label="GPUs">{gpuRequestLabel(order.resources.gpu)}</Row>
      <Row label="CPU">{cpu(order.resources.cpuMillicores)}</Row>
      <Row label="Memory">{size(order.resources.memoryBytes)}</Row>
      <Row label="Storage">{size(order.resources.storageBytes)}</Row>
      <Row label="Replicas">{order.count}</Row>
      <Row label="Region">{order.region ?? "any"}</Row>
      {attributes.length > 0 && (
        <Row label="Attributes">
          {attributes.map(([key, value]) => (
            <span key={key} className="block font-mono text-xs">
              {key}={value}
            </span>
          ))}
        </Row>
      )}
      <Row label="Max price">{perHour(order.maxPricePerHour)}</Row>
      <Row label="Posted">{timeAgo(order.createdAt, now)}</Row>
      {order.state === "open" ? (
        <Row label="Expires in">{timeLeft(order.expiresAt, now)}</Row>
      ) : (
        order.closedAt && <Row label="Closed">{timeAgo(order.closedAt, now)}</Row>
      )}
    </dl>
  );
}
