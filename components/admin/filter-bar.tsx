import Link from "next/link";
import type { ReactNode } from "react";
import { buttonClasses } from "@/components/ui/button";
import { inputClasses } from "@/components/ui/field";

/** A GET form: filters live in the query string, so every filtered view has a link. */
export function FilterBar({ tab, children, active }: { tab: string; children: ReactNode; active: boolean }) {
  return (
    <form
      method="get"
      action="/admin"
      role="search"
      aria-label={`Filter ${tab}`}
      className="mb-4 flex flex-wrap items-end gap-3"
    >
      <input type="hidden" name="tab" value={tab} />
      {children}
      <div className="flex gap-2">
        <button type="submit" className={buttonClasses("secondary")}>
          Apply
        </button>
        {active && (
          <Link href={`/admin?tab=${tab}`} className={buttonClasses("ghost")}>
            Clear
          </Link>
        )}
      </div>
    </form>
  );
}

export function FilterSelect({
  name,
  label,
  value,
  options,
}: {
  name: string;
  label: string;
  value: string | undefined;
  options: readonly string[];
}) {
  const id = `filter-${name}`;
  return (
    <div className="w-36">
      <label htmlFor={id} className="block text-xs font-medium text-slate-600">
        {label}
      </label>
      <select id={id} name={name} defaultValue={value ?? ""} className={`${inputClasses} mt-1`}>
        <option value="">Any</option>
        {options.map((option) => (
          <option key={option} value={option}>
            {option.replace("_", " ")}
          </option>
        ))}
      </select>
    </div>
  );
}

export function FilterSearch({
  name,
  label,
  value,
  placeholder,
}: {
  name: string;
  label: string;
  value: string | undefined;
  placeholder: string;
}) {
  const id = `filter-${name}`;
  return (
    <div className="w-full sm:w-64">
      <label htmlFor={id} className="block text-xs font-medium text-slate-600">
        {label}
      </label>
      <input
        id={id}
        name={name}
        type="search"
        defaultValue={value ?? ""}
        placeholder={placeholder}
        className={`${inputClasses} mt-1`}
      />
    </div>
  );
}
