import type { InputHTMLAttributes, ReactNode } from "react";

/**
 * An on/off switch: a checkbox with role "switch", its label and a hint that can say what
 * the current position means. Controlled or not, as the checkbox it wraps.
 */
export function Switch({
  label,
  hint,
  hintId,
  ...input
}: Omit<InputHTMLAttributes<HTMLInputElement>, "type" | "role" | "className"> & {
  label: ReactNode;
  hint?: ReactNode;
  /** Id of the hint, so screen readers hear it with the switch. */
  hintId: string;
}) {
  return (
    <label className="flex cursor-pointer items-start gap-3">
      <input
        type="checkbox"
        role="switch"
        className="peer sr-only"
        aria-describedby={hint ? hintId : undefined}
        {...input}
      />
      <span
        aria-hidden
        className="relative mt-0.5 inline-flex h-5 w-9 shrink-0 rounded-full bg-slate-300 transition-colors peer-checked:bg-brand-600 peer-focus-visible:outline-2 peer-focus-visible:outline-offset-2 peer-focus-visible:outline-brand-600 after:absolute after:top-0.5 after:left-0.5 after:h-4 after:w-4 after:rounded-full after:bg-white after:shadow-xs after:transition-transform peer-checked:after:translate-x-4"
      />
      <span className="text-sm">
        <span className="font-medium text-slate-800">{label}</span>
        {hint && (
          <span id={hintId} className="block text-xs text-slate-500">
            {hint}
          </span>
        )}
      </span>
    </label>
  );
}
