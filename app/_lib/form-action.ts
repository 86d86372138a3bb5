import "server-only";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import type { FormState } from "@/components/ui/form-state";
import type { Principal } from "@/lib/auth/principal";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { currentPrincipal } from "./session";

interface FormActionOptions {
  /** The form data, echoed back on failure so the form keeps what was typed. */
  formData: FormData;
  /** Path whose server components re-render after a success. */
  revalidate: string;
  /** Use-case field paths that a form shows under another input ("memoryBytes" -> "memoryGiB"; "attributes.*"). */
  fieldAliases?: Record<string, string>;
}

/**
 * The shape of every dashboard server action: signed-in caller -> body (parse, one use case)
 * -> form state. Expected failures (AppError, zod) become messages naming fields; anything
 * else is logged and shown as a generic message.
 */
export async function runFormAction(
  { formData, revalidate, fieldAliases = {} }: FormActionOptions,
  body: (principal: Principal) => Promise<FormState | void>,
): Promise<FormState> {
  const values = echo(formData);
  const principal = await currentPrincipal();
  if (!principal) {
    return {
      status: "error",
      message: "Your session has ended. Sign in again to continue.",
      fields: {},
      values,
    };
  }
  try {
    const result = await body(principal);
    revalidatePath(revalidate);
    return result ?? { status: "ok" };
  } catch (error) {
    const alias = (path: string) => fieldAliases[path] ?? fieldAliases[`${path.split(".")[0]}.*`] ?? path;
    if (error instanceof z.ZodError) {
      const fields: Record<string, string> = {};
      for (const issue of error.issues) {
        const path = alias(issue.path.map(String).join("."));
        fields[path] ??= sentenceCase(issue.message);
      }
      return { status: "error", message: "Check the highlighted fields.", fields, values };
    }
    if (error instanceof AppError) {
      const fields: Record<string, string> = {};
      for (const field of error.fields ?? []) fields[alias(field.path)] ??= sentenceCase(field.message);
      const message =
        error.code === "VALIDATION" ? "Check the highlighted fields." : sentenceCase(error.message);
      return { status: "error", message, fields, values };
    }
    logger.error("dashboard action failed", { error, revalidate });
    return {
      status: "error",
      message: "Something went wrong on our side. Please try again.",
      fields: {},
      values,
    };
  }
}

function echo(formData: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of formData.entries()) {
    if (typeof value === "string" && !key.startsWith("$ACTION")) values[key] = value;
  }
  return values;
}

/** "is required" -> "Required", "must be …" -> "Must be …": messages read on their own under a field. */
function sentenceCase(message: string): string {
  const text = message.startsWith("is ") ? message.slice(3) : message;
  return text.charAt(0).toUpperCase() + text.slice(1);
}
