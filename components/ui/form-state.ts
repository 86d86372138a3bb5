/**
 * What a form's server action hands back to the form (React's useActionState):
 * nothing yet, success (with an optional one-time secret), or an error naming fields.
 * `values` echoes what was typed, so a failed submit keeps the person's input.
 */
export type FormState =
  | { status: "idle" }
  | { status: "ok"; message?: string; secret?: string }
  | { status: "error"; message: string; fields: Record<string, string>; values?: Record<string, string> };

export const IDLE_FORM: FormState = { status: "idle" };

export type FormAction = (previous: FormState, formData: FormData) => Promise<FormState>;

export function fieldError(state: FormState, name: string): string | undefined {
  return state.status === "error" ? state.fields[name] : undefined;
}

/** The value to show in a field: what was typed before a failed submit, else the default. */
export function typedValue(state: FormState, name: string, fallback = ""): string {
  return state.status === "error" ? (state.values?.[name] ?? fallback) : fallback;
}
