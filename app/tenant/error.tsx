"use client";

import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/card";

/** Unexpected failures on tenant pages: a generic message and a retry, never the error's internals. */
export default function TenantError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="mx-auto max-w-xl py-10">
      <EmptyState title="This page could not be loaded" action={<Button onClick={reset}>Try again</Button>}>
        Something went wrong on our side. Your orders and leases are safe; please try again in a moment.
      </EmptyState>
    </div>
  );
}
