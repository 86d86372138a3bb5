import Link from "next/link";
import { buttonClasses } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/card";

export default function OrderNotFound() {
  return (
    <div className="mx-auto max-w-xl py-10">
      <EmptyState
        title="Order not found"
        action={
          <Link href="/tenant" className={buttonClasses("secondary", "sm")}>
            Back to your orders
          </Link>
        }
      >
        There is no order with this address among yours. It may belong to another account, or the link is
        mistyped.
      </EmptyState>
    </div>
  );
}
