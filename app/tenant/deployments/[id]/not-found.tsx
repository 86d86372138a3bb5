import Link from "next/link";
import { buttonClasses } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/card";

export default function DeploymentNotFound() {
  return (
    <div className="mx-auto max-w-xl py-10">
      <EmptyState
        title="Deployment not found"
        action={
          <Link href="/tenant/deployments" className={buttonClasses("secondary", "sm")}>
            Back to your deployments
          </Link>
        }
      >
        There is no deployment with this address among yours. It may belong to another account, or the link is
        mistyped.
      </EmptyState>
    </div>
  );
}
