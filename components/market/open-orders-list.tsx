import { Badge } from "@/components/ui/badge";
import { Table, Td } from "@/components/ui/table";
import { perHour, timeAgo } from "@/lib/format";
import type { OrderRecord } from "@/lib/market/market.repository";
import { OrderResources } from "./order-resources";
import { timeLeft } from "./time-left";

/** The public order book: what tenants are asking for right now and the most they will pay. */
export function OpenOrdersList({ orders, now }: { orders: OrderRecord[]; now: Date }) {
  return (
    <>
      <div className="hidden sm:block">
        <Table head={["Resources", "Region", "Max price", "Posted", "Time left"]}>
          {orders.map((order) => (
            <tr key={order.id}>
              <Td>
                <OrderResources
                  resources={order.resources}
                  count={order.count}
                  additionalUnits={order.additionalUnits}
                />
              </Td>
              <Td>
                {order.region ? <Badge>{order.region}</Badge> : <span className="text-slate-400">any</span>}
              </Td>
              <Td className="font-semibold tabular-nums text-slate-900">{perHour(order.maxPricePerHour)}</Td>
              <Td className="tabular-nums text-slate-500">{timeAgo(order.createdAt, now)}</Td>
              <Td className="tabular-nums">{timeLeft(order.expiresAt, now)}</Td>
            </tr>
          ))}
        </Table>
      </div>
      <ul className="divide-y divide-slate-100 sm:hidden">
        {orders.map((order) => (
          <li key={order.id} className="flex items-start justify-between gap-3 py-3 first:pt-0 last:pb-0">
            <div className="min-w-0 text-sm">
              <OrderResources
                resources={order.resources}
                count={order.count}
                additionalUnits={order.additionalUnits}
              />
              <p className="mt-1 text-xs text-slate-500">
                {order.region ?? "any region"} · {timeLeft(order.expiresAt, now)} left
              </p>
            </div>
            <div className="shrink-0 text-right text-sm">
              <p className="font-semibold tabular-nums text-slate-900">{perHour(order.maxPricePerHour)}</p>
              <p className="text-xs text-slate-500">max</p>
            </div>
          </li>
        ))}
      </ul>
    </>
  );
}
