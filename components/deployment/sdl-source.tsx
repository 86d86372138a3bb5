import { CopyButton } from "./copy-button";

/** The SDL a deployment was posted with, folded away until asked for. */
export function SdlSource({ sdl }: { sdl: string }) {
  const lines = sdl.split("\n").length;
  return (
    <details className="group rounded-xl bg-white shadow-xs ring-1 ring-slate-200">
      <summary className="flex cursor-pointer list-none items-center justify-between gap-3 px-4 py-3 sm:px-5 [&::-webkit-details-marker]:hidden">
        <span className="text-base font-semibold text-slate-900">
          SDL <span className="text-sm font-normal text-slate-500">· {lines} lines</span>
        </span>
        <span className="text-xs font-semibold text-brand-600">
          <span className="group-open:hidden">Show</span>
          <span className="hidden group-open:inline">Hide</span>
        </span>
      </summary>
      <div className="border-t border-slate-100 px-4 py-3 sm:px-5">
        <div className="mb-2 flex justify-end">
          <CopyButton text={sdl} label="Copy" what="SDL" />
        </div>
        <pre className="max-h-[32rem] overflow-auto rounded-lg bg-slate-900 p-3 font-mono text-xs leading-5 text-slate-100">
          <code>{sdl}</code>
        </pre>
      </div>
    </details>
  );
}
