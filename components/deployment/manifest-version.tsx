import { CopyButton } from "./copy-button";

/** The manifest's version hash: its first characters, the whole on hover, and a copy button. */
export function ManifestVersion({ version }: { version: string }) {
  return (
    <span className="inline-flex items-center gap-1">
      <span className="text-slate-500">Manifest</span>
      <code title={version} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-700">
        {version.slice(0, 8)}…
      </code>
      <CopyButton text={version} what="manifest version" />
    </span>
  );
}
