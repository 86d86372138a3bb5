"use client";

import { useState, useTransition } from "react";
import { Spinner } from "@/components/deployment/spinner";
import type { ActionResult } from "@/components/ui/action-result";
import { Button } from "@/components/ui/button";
import { useRefreshWhile } from "./use-refresh-while";

const REFRESH_EVERY_MS = 1_000;
const GIVE_UP_AFTER_MS = 60_000;

/**
 * "Get test USDC" on a local test chain. The tokens are minted through the outbox and land a
 * second or two after the click, so the button stays busy, re-reading the page, until the
 * wallet's balance changes.
 */
export function FaucetButton({
  action,
  balance,
  symbol,
  prominent = false,
}: {
  action: () => Promise<ActionResult<unknown>>;
  /** The wallet's balance as rendered; a change means the tokens arrived. */
  balance: string;
  symbol: string;
  /** The primary action of the card (an empty wallet). */
  prominent?: boolean;
}) {
  const [error, setError] = useState<string | null>(null);
  const [requesting, startTransition] = useTransition();
  const [waitingFrom, setWaitingFrom] = useState<string | null>(null);
  const waiting = waitingFrom !== null && waitingFrom === balance;
  const slow = useRefreshWhile(waiting, REFRESH_EVERY_MS, GIVE_UP_AFTER_MS);
  const arriving = waiting && !slow;

  function request() {
    setError(null);
    setWaitingFrom(null);
    startTransition(async () => {
      try {
        const result = await action();
        if (!result.ok) setError(result.error);
        else setWaitingFrom(balance);
      } catch {
        setError("Could not reach Bidcloud. Please try again.");
      }
    });
  }

  const busy = requesting || arriving;
  return (
    <span className="inline-flex flex-col items-start gap-1 sm:items-end">
      <Button variant={prominent ? "primary" : "secondary"} size="sm" disabled={busy} onClick={request}>
        {busy && <Spinner className="h-3 w-3" />}
        {requesting ? "Requesting…" : arriving ? `Minting test ${symbol}…` : `Get test ${symbol}`}
      </Button>
      {error && (
        <span role="alert" className="max-w-64 text-xs text-red-600 sm:text-right">
          {error}
        </span>
      )}
      {slow && (
        <span role="status" className="max-w-64 text-xs text-slate-500 sm:text-right">
          Still on its way — reload in a moment.
        </span>
      )}
    </span>
  );
}
