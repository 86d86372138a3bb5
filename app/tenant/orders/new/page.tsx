import type { Metadata } from "next";
import { OrderForm } from "@/components/tenant/order-form";
import { Card, PageHeader } from "@/components/ui/card";
import { requirePagePrincipal } from "../../../_lib/session";
import { createOrderAction } from "../../actions";

export const metadata: Metadata = { title: "Post an order" };

export default async function NewOrderPage() {
  await requirePagePrincipal("tenant", "/tenant/orders/new");
  return (
    <div className="mx-auto max-w-4xl">
      <PageHeader
        title="Post an order"
        description="Say what you need and the most you will pay per hour. Providers with matching free hardware bid within seconds; bids show up live on the order's page."
      />
      <Card>
        <OrderForm action={createOrderAction} />
      </Card>
    </div>
  );
}
