import { Badge, type Tone } from "@/components/ui/badge";

const ESCROW_TONES: Record<string, Tone> = {
  pending: "amber",
  open: "green",
  overdrawn: "red",
  closed: "gray",
};

/** An escrow account's state; "pending" until the contract has opened it. */
export function EscrowStateBadge({ state }: { state: string }) {
  return <Badge tone={ESCROW_TONES[state] ?? "gray"}>{state === "pending" ? "opening" : state}</Badge>;
}

const CHAIN_TX_TONES: Record<string, Tone> = {
  pending: "gray",
  signed: "blue",
  submitted: "blue",
  confirmed: "green",
  failed: "red",
};

/** Where a chain write is: pending (queued), signed, submitted, confirmed or failed. */
export function ChainTxStatusBadge({ status }: { status: string }) {
  return <Badge tone={CHAIN_TX_TONES[status] ?? "gray"}>{status}</Badge>;
}

const KIND_LABELS: Record<string, string> = {
  open_account: "Open escrow",
  approve: "Approve token",
  deposit: "Deposit",
  open_lease: "Open lease",
  settle: "Settlement",
  close_lease: "Close lease",
  close_account: "Close escrow",
  withdraw: "Withdrawal",
  mint: "Test tokens",
};

/** An outbox row's kind as people say it ("deposit" -> "Deposit"). */
export function chainTxKindLabel(kind: string): string {
  return KIND_LABELS[kind] ?? kind.replaceAll("_", " ");
}
