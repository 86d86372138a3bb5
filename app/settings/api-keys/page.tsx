import type { Metadata } from "next";
import { AccountSummary } from "@/components/settings/account-summary";
import { ApiKeysTable } from "@/components/settings/api-keys-table";
import { CreateApiKeyForm } from "@/components/settings/create-api-key-form";
import { Card, PageHeader } from "@/components/ui/card";
import { getOwnAccount } from "@/lib/accounts/get-account";
import { listOwnApiKeys } from "@/lib/accounts/manage-api-keys";
import { env } from "@/lib/env";
import { requirePagePrincipal } from "../../_lib/session";
import { createApiKeyFromForm, revokeApiKeyFromForm } from "./actions";

export const metadata: Metadata = { title: "API keys" };

export default async function ApiKeysPage() {
  const principal = await requirePagePrincipal(undefined, "/settings/api-keys");
  const [account, keys] = await Promise.all([getOwnAccount(principal), listOwnApiKeys(principal)]);
  const now = new Date();
  const activeKeys = keys.filter((key) => !key.revokedAt).length;

  return (
    <>
      <PageHeader
        title="Account & API keys"
        description="API keys let scripts, CI and the provider agent call the Bidcloud REST API as you."
      />
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="min-w-0 space-y-6 lg:col-span-2">
          <Card
            title="Create an API key"
            description="Give it a name you will recognise later, such as where it is used."
          >
            <CreateApiKeyForm action={createApiKeyFromForm} />
          </Card>
          <Card
            title="Your API keys"
            description={`${activeKeys} active · revoked keys stay listed for your records.`}
          >
            <ApiKeysTable keys={keys} revokeAction={revokeApiKeyFromForm} now={now} />
          </Card>
        </div>
        <div className="min-w-0 space-y-6">
          <Card title="Account">
            <AccountSummary account={account} />
          </Card>
          <Card title="Using the API">
            <p className="text-sm text-slate-600">Send the key as a bearer token:</p>
            <pre className="mt-2 overflow-x-auto rounded-md bg-slate-900 px-3 py-2 font-mono text-xs text-slate-100">
              {`curl -H "Authorization: Bearer $KEY" \\\n  ${env().APP_URL}/api/v1/me`}
            </pre>
            <p className="mt-2 text-sm text-slate-600">
              Every route is described in the{" "}
              <a href="/api/v1/openapi.json" className="font-medium text-brand-700 hover:underline">
                OpenAPI document
              </a>
              .
            </p>
          </Card>
        </div>
      </div>
    </>
  );
}
