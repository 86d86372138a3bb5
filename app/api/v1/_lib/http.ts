import type { z } from "zod";
import { AppError, HTTP_STATUS_BY_CODE, type FieldError } from "@/lib/errors";

export interface ErrorBody {
  error: { code: string; message: string; fields?: FieldError[]; requestId?: string };
}

/** JSON with bigint-safe serialization (bigints never reach here in practice: wire formats use strings). */
export function json(status: number, body: unknown, headers?: HeadersInit): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers },
  });
}

export function errorResponse(error: AppError, requestId: string): Response {
  const status = HTTP_STATUS_BY_CODE[error.code];
  const body: ErrorBody = { error: { code: error.code, message: error.message, requestId } };
  if (error.fields?.length) body.error.fields = error.fields;
  const headers: Record<string, string> = { "x-request-id": requestId };
  if (status === 401) headers["www-authenticate"] = 'Bearer realm="bidcloud"';
  return json(status, body, headers);
}

function joinPath(path: readonly PropertyKey[]): string {
  return path.map((segment) => String(segment)).join(".");
}

/** Turns zod issues into field errors that name the field, e.g. "resources.gpu.units". */
export function fieldErrorsOf(error: z.ZodError, prefix?: string): FieldError[] {
  const fields: FieldError[] = [];
  for (const issue of error.issues) {
    const base = prefix ? [prefix, ...issue.path] : issue.path;
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys)
        fields.push({ path: joinPath([...base, key]), message: "is not a known field" });
      continue;
    }
    let message = issue.message;
    if (issue.code === "invalid_type" && issue.input === undefined) message = "is required";
    fields.push({ path: joinPath(base) || "(body)", message });
  }
  return fields;
}

export function validationFailure(error: z.ZodError, prefix?: string): AppError {
  const fields = fieldErrorsOf(error, prefix);
  const summary = fields
    .slice(0, 3)
    .map((field) => `${field.path} ${field.message}`)
    .join("; ");
  return new AppError("VALIDATION", `invalid request: ${summary}`, { fields });
}
