import type { z } from "zod";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/logger";

/**
 * What a form's server action returns: success with data, or a message for the form and
 * messages per field (keyed by the form's input names) to show inline.
 */
export type ActionResult<T = null> =
  { ok: true; data: T } | { ok: false; error: string; fields: Record<string, string> };

export function actionOk<T>(data: T): ActionResult<T> {
  return { ok: true, data };
}

/** Zod issues as form field errors; `fieldFor` maps a schema path to the input that holds it. */
export function actionInvalid(
  error: z.ZodError,
  fieldFor: (path: string) => string = (path) => path,
): { ok: false; error: string; fields: Record<string, string> } {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = fieldFor(issue.path.map(String).join("."));
    fields[field] ??= issue.message;
  }
  return { ok: false, error: "Please correct the highlighted fields.", fields };
}

/**
 * An expected failure (AppError) becomes its safe message and field errors; anything else
 * is logged and shown as a generic message, never as its internals.
 */
export function actionFailed(
  error: unknown,
  fieldFor: (path: string) => string = (path) => path,
): { ok: false; error: string; fields: Record<string, string> } {
  if (error instanceof AppError) {
    const fields: Record<string, string> = {};
    for (const field of error.fields ?? []) fields[fieldFor(field.path)] ??= field.message;
    const message = error.message.charAt(0).toUpperCase() + error.message.slice(1);
    return { ok: false, error: message.endsWith(".") ? message : `${message}.`, fields };
  }
  logger.error("server action failed", { error });
  return { ok: false, error: "Something went wrong on our side. Please try again.", fields: {} };
}
