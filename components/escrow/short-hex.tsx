import { CopyButton } from "@/components/deployment/copy-button";

/** "0x1a2b…9f3c": a transaction hash or an address, short enough for a table, whole on hover and when copied. */
export function ShortHex({ value, what }: { value: string; what: string }) {
  return (
    <span className="inline-flex items-center gap-1">
      <span title={value} className="font-mono text-xs text-slate-600">
        {value.slice(0, 6)}…{value.slice(-4)}
      </span>
      <CopyButton text={value} what={what} />
    </span>
  );
}

/** A chain write's hash, or that it has not been sent yet. */
export function TxHashCell({ hash }: { hash: string | null }) {
  return hash ? (
    <ShortHex value={hash} what="transaction hash" />
  ) : (
    <span className="text-xs text-slate-400">not sent yet</span>
  );
}
