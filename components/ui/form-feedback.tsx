import { FormError } from "./field";
import type { FormState } from "./form-state";

/** The message line under a form: the error, or a short confirmation after a success. */
export function FormFeedback({ state }: { state: FormState }) {
  if (state.status === "error") return <FormError message={state.message} />;
  if (state.status === "ok" && state.message) {
    return (
      <p role="status" className="text-sm font-medium text-emerald-700">
        {state.message}
      </p>
    );
  }
  return null;
}
