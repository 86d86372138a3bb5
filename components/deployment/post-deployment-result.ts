import { z } from "zod";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/logger";

/** A problem inside the SDL text, at a 1-based line; what the editor marks. */
export interface SdlProblem {
  path: string;
  line: number;
  message: string;
}

/** What the editor posts: the CreateDeploymentSchema input, prices as "2.50" strings. */
export interface PostDeploymentInput {
  sdl: string;
  name?: string;
  autoAccept: boolean;
  autoAcceptSeconds?: number;
  maxPricePerHour: Record<string, string>;
}

/**
 * What "Post deployment" returns: the new deployment's id, or a message plus the problems to
 * show inline — SDL problems at their line in the editor, other fields ("name",
 * "maxPricePerHour.<group>", "autoAcceptSeconds") under their inputs.
 */
export type PostDeploymentResult =
  | { ok: true; id: string }
  | { ok: false; error: string; fields: Record<string, string>; sdlProblems: SdlProblem[] };

/** "is required" -> "Is required."; a message that starts with a field name ("maxPricePerHour …") keeps it. */
function sentence(message: string): string {
  const first = message.split(" ")[0] ?? "";
  const text = first === first.toLowerCase() ? message.charAt(0).toUpperCase() + message.slice(1) : message;
  return text.endsWith(".") ? text : `${text}.`;
}

/** Splits a failure into SDL problems (path "sdl…" with a line) and form fields; others become a safe message. */
export function postDeploymentFailed(error: unknown): Extract<PostDeploymentResult, { ok: false }> {
  const fields: Record<string, string> = {};
  const sdlProblems: SdlProblem[] = [];
  const add = (path: string, message: string, line?: number) => {
    if (path === "sdl" || path.startsWith("sdl.")) {
      sdlProblems.push({ path: path === "sdl" ? "" : path.slice(4), line: line ?? 1, message });
    } else {
      fields[path] ??= message;
    }
  };
  if (error instanceof z.ZodError) {
    for (const issue of error.issues) add(issue.path.map(String).join("."), issue.message);
    return { ok: false, error: "Please correct the highlighted fields.", fields, sdlProblems };
  }
  if (error instanceof AppError) {
    for (const field of error.fields ?? []) add(field.path, field.message, field.line);
    const message =
      sdlProblems.length > 0
        ? `The SDL has ${sdlProblems.length === 1 ? "a problem" : `${sdlProblems.length} problems`}; see the marked lines.`
        : sentence(error.message);
    return { ok: false, error: message, fields, sdlProblems };
  }
  logger.error("posting a deployment failed", { error });
  return { ok: false, error: "Something went wrong on our side. Please try again.", fields, sdlProblems };
}
