import type { ValidationError } from "@akashnetwork/chain-sdk/web";
import type { FieldIssue } from "./types";

/**
 * chain-sdk's validation errors, one per field, in Akash's words. A JSON-schema validator reports
 * every branch it tried: `units: -2` gives "must be greater than 0" and also "should be string" and
 * "must NOT be valid" from the branch for strings. A field keeps its specific errors; the generic
 * ones (type, not) stay only when nothing more specific was said about the field or inside it.
 */
export function issuesFromAkash(errors: readonly ValidationError[]): FieldIssue[] {
  const fields = new Map<string, FieldErrors>();
  for (const error of errors) {
    if (IGNORED_KEYWORDS.has(error.keyword)) continue;
    const at = pathOf(error);
    const key = at.join("\u0000");
    const field = fields.get(key) ?? { at, specific: [], types: [], generic: [], zeroCpu: false };
    fields.set(key, field);
    const message = messageOf(error, at);
    if (error.keyword === "not" && error.schemaPath.endsWith(CPU_UNITS_NOT_ZERO)) {
      field.zeroCpu = true;
    } else if (error.keyword === "type" && isSchemaError(error)) {
      field.types.push(...typesOf(error));
    } else if (error.keyword === "not" && message.endsWith("must NOT be valid")) {
      field.generic.push(`"${leafOf(at)}" has a value that is not allowed here`);
    } else {
      field.specific.push(message);
    }
  }

  const all = [...fields.values()];
  for (const field of all) {
    // The branch for strings refuses "0", "0.0" and "0m" with a bare `not`; it also fails that way
    // for values that are no string at all, which the type error then describes.
    if (field.zeroCpu && !field.types.includes("string"))
      field.specific.push('"units" must be greater than 0');
  }
  // Every path that is a field with specific messages or one of its ancestors: one set, so that
  // thousands of errors cost linear time rather than each field scanning all the others.
  const specificAtOrBelow = new Set<string>();
  for (const field of all) {
    if (field.specific.length === 0) continue;
    for (let length = 0; length <= field.at.length; length++)
      specificAtOrBelow.add(field.at.slice(0, length).join("\u0000"));
  }
  const hasSpecificAtOrBelow = (at: string[]) => specificAtOrBelow.has(at.join("\u0000"));
  const issues: FieldIssue[] = [];
  for (const field of all) {
    const messages =
      field.specific.length > 0
        ? field.specific
        : hasSpecificAtOrBelow(field.at)
          ? []
          : [...(field.types.length > 0 ? [typeMessage(field.at, field.types)] : []), ...field.generic];
    for (const message of new Set(messages)) issues.push({ at: field.at, message });
  }
  return issues;
}

interface FieldErrors {
  at: string[];
  specific: string[];
  types: string[];
  generic: string[];
  zeroCpu: boolean;
}

const CPU_UNITS_NOT_ZERO = "/cpu/properties/units/oneOf/0/not";

/** anyOf/oneOf only say "no branch matched" (the branches' own errors follow); `if` repeats its `then`. */
const IGNORED_KEYWORDS = new Set(["anyOf", "oneOf", "if"]);

/** Messages chain-sdk writes from the schema (others are its own checks, kept word for word). */
const SCHEMA_MESSAGE = /^("|Missing required field: |Additional property |Invalid format: |Field ")/;

function isSchemaError(error: ValidationError): boolean {
  return SCHEMA_MESSAGE.test(error.message);
}

/**
 * The field the error is about: the missing or unknown property itself rather than the object
 * holding it, so that the path names it and its line is the offending key's.
 */
function pathOf(error: ValidationError): string[] {
  const at = pointerSegments(error.instancePath);
  const named: unknown =
    error.keyword === "required"
      ? error.params.missingProperty
      : error.keyword === "additionalProperties" && isSchemaError(error)
        ? error.params.additionalProperty
        : undefined;
  if (typeof named !== "string") return at;
  // chain-sdk's own checks sometimes already point at the property ("/endpoints/<name>").
  if (error.keyword === "required" && !isSchemaError(error) && at.at(-1) === named) return at;
  return [...at, named];
}

function pointerSegments(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .split("/")
    .slice(1)
    .map((segment) => segment.replaceAll("~1", "/").replaceAll("~0", "~"));
}

function messageOf(error: ValidationError, at: string[]): string {
  if (at.length === 0 && error.keyword === "type") {
    return "the document must be a YAML map with version, services, profiles and deployment";
  }
  // The path says where; the JSON pointer in chain-sdk's message would say it again.
  const message = isSchemaError(error) ? error.message.replace(/ at "[^"]*"/, "") : error.message;
  return message.replace(/\.$/, "");
}

function typesOf(error: ValidationError): string[] {
  const type: unknown = error.params.type;
  if (Array.isArray(type)) return type.map(String);
  return typeof type === "string" ? type.split(",") : [];
}

function typeMessage(at: string[], types: string[]): string {
  if (at.length === 0)
    return "the document must be a YAML map with version, services, profiles and deployment";
  const unique = [...new Set(types)].map((type) =>
    type === "null" ? "empty" : `a${/^[aeiou]/.test(type) ? "n" : ""} ${type}`,
  );
  return `"${leafOf(at)}" should be ${unique.join(" or ")}`;
}

function leafOf(at: string[]): string {
  return at.at(-1) ?? "sdl";
}
