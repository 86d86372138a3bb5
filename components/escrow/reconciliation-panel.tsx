"use client";

import { useState, useTransition } from "react";
import type { ActionResult } from "@/components/ui/action-result";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/field";
import { StackCell, StackRow, StackTable } from "@/components/ui/stack-table";
import type { reconciliationToWire } from "@/lib/escrow/escrow-wire";

export type ReconciliationResult = ReturnType<typeof reconciliationToWire>;

/**
 * Admin: compares every escrow account, lease and payee in the database with the contract,
 * on demand. Agreement is one line; differences are a table of both values.
 */
export function ReconciliationPanel({
  action,
}: {
  action: () => Promise<ActionResult<ReconciliationResult>>;
}) {
  const [result, setResult] = useState<ReconciliationResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [running, startTransition] = useTransition();

  function run() {
    setError(null);
    startTransition(async () => {
      try {
        const outcome = await action();
        if (outcome.ok) setResult(outcome.data);
        else setError(outcome.error);
      } catch {
        setError("Could not reach Bidcloud. Please try again.");
      }
    });
  }

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-3">
        <Button onClick={run} disabled={running}>
          {running ? "Reconciling…" : result ? "Run again" : "Run reconciliation"}
        </Button>
        {result && (
          <span className="text-xs text-slate-500">
            Checked at <time dateTime={result.checkedAt}>{result.checkedAt.slice(11, 19)} UTC</time> on chain{" "}
            {result.chainId}
          </span>
        )}
      </div>
      <FormError message={error} />
      {result && <ReconciliationOutcome result={result} />}
    </div>
  );
}

function ReconciliationOutcome({ result }: { result: ReconciliationResult }) {
  const scope = `${result.accounts} account${result.accounts === 1 ? "" : "s"}, ${result.leases} lease${
    result.leases === 1 ? "" : "s"
  }, ${result.payees} payee${result.payees === 1 ? "" : "s"}; indexed to block ${result.indexedBlock ?? "—"} of ${result.headBlock}`;
  if (result.differences.length === 0) {
    return (
      <p
        role="status"
        data-testid="reconciliation-result"
        className="rounded-lg bg-emerald-50 px-3 py-2 text-sm text-emerald-800 ring-1 ring-inset ring-emerald-200"
      >
        <strong>Database and chain agree</strong> ({scope}).
      </p>
    );
  }
  return (
    <div className="space-y-3" data-testid="reconciliation-result">
      <p
        role="alert"
        className="rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-inset ring-amber-300"
      >
        <strong>
          {result.differences.length} difference{result.differences.length === 1 ? "" : "s"} between the
          database and the chain
        </strong>{" "}
        ({scope}). Amounts are in base units.
      </p>
      <StackTable head={["Subject", "Field", "Database", "Chain"]}>
        {result.differences.map((difference) => (
          <StackRow key={`${difference.subject}:${difference.id}:${difference.field}`}>
            <StackCell label="" primary>
              <span className="font-medium text-slate-900">{difference.subject.replaceAll("_", " ")}</span>{" "}
              <span className="font-mono text-xs break-all text-slate-500">{difference.id}</span>
            </StackCell>
            <StackCell label="Field">{difference.field}</StackCell>
            <StackCell label="Database" className="font-mono text-xs break-all">
              {difference.database}
            </StackCell>
            <StackCell label="Chain" className="font-mono text-xs break-all">
              {difference.chain}
            </StackCell>
          </StackRow>
        ))}
      </StackTable>
    </div>
  );
}
