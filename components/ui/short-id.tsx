/** The last characters of an id, enough to tell rows apart ("…3f9a2c"). */
export function ShortId({ id }: { id: string }) {
  return (
    <span title={id} className="font-mono text-xs text-slate-500">
      …{id.slice(-6)}
    </span>
  );
}
