import { MAX_SDL_ERRORS } from "./limits";
import { pathText } from "./yaml-document";
import type { FieldIssue, SdlError } from "./types";

/**
 * PostgreSQL text and jsonb cannot hold U+0000, and UTF-8 has no encoding for an unpaired UTF-16
 * surrogate: on its way to the database it becomes U+FFFD, so the stored SDL would no longer be
 * the one whose manifest was hashed. Both are refused here,
 * in keys and values alike (YAML can write them: "\0", "\uD800"), and anywhere else in the text
 * (a comment), rather than failing or changing when the deployment is stored.
 */
export function unstorableTextIssues(
  text: string,
  value: unknown,
  lineOf: (at: readonly string[]) => number,
): SdlError[] {
  if (!MAY_HOLD_UNSTORABLE.test(text)) return [];
  const inValue = valueIssues(value, []).slice(0, MAX_SDL_ERRORS);
  if (inValue.length > 0) {
    return inValue.map((issue) => ({
      path: pathText(issue.at),
      line: lineOf(issue.at),
      message: issue.message,
    }));
  }
  const offset = text.search(UNSTORABLE);
  if (offset === -1) return [];
  return [
    { path: "sdl", line: lineAtOffset(text, offset), message: `must not contain ${whatIsAt(text, offset)}` },
  ];
}

/** A NUL or a surrogate character, or a YAML escape that writes one. */
const MAY_HOLD_UNSTORABLE =
  /\u0000|[\uD800-\uDFFF]|\\(0|x00|u0000|U00000000|u[dD][89a-fA-F]|U0000[dD][89a-fA-F])/;

/** NUL, or a high surrogate not followed by a low one, or a low surrogate not after a high one. */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function whatIsAt(text: string, offset: number): string {
  return text[offset] === "\u0000"
    ? "NUL characters"
    : "unpaired UTF-16 surrogates (invalid Unicode, like a lone \\uD800)";
}

function valueIssues(value: unknown, at: string[]): FieldIssue[] {
  if (typeof value === "string") {
    const found = value.search(UNSTORABLE);
    return found === -1
      ? []
      : [{ at, message: `"${at.at(-1) ?? "sdl"}" must not contain ${whatIsAt(value, found)}` }];
  }
  if (value === null || typeof value !== "object") return [];
  const entries = Array.isArray(value)
    ? value.map((item, index) => [String(index), item] as const)
    : Object.entries(value);
  const issues: FieldIssue[] = [];
  for (const [key, item] of entries) {
    const found = key.search(UNSTORABLE);
    if (found !== -1)
      issues.push({ at: [...at, key], message: `keys must not contain ${whatIsAt(key, found)}` });
    else issues.push(...valueIssues(item, [...at, key]));
    if (issues.length >= MAX_SDL_ERRORS) break;
  }
  return issues;
}

function lineAtOffset(text: string, offset: number): number {
  let line = 1;
  for (let index = text.indexOf("\n"); index !== -1 && index < offset; index = text.indexOf("\n", index + 1))
    line++;
  return line;
}
