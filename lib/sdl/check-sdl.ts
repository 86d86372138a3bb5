import { generateManifest, manifestToSortedJSON, type SDLInput } from "@akashnetwork/chain-sdk/web";
import { issuesFromAkash } from "./akash-errors";
import { serviceSummaries } from "./service-summary";
import { toOrderDrafts } from "./to-orders";
import type { FieldIssue, SdlCheckResult, SdlError, SdlOptions } from "./types";
import { unitSourcesByGroup } from "./unit-sources";
import { parseYamlDocument } from "./yaml-document";

/**
 * Validates an SDL the way Akash does (chain-sdk's generateManifest, so the manifest and its
 * version hash are Akash's own for any real SDL), then by this market's limits, and turns each
 * placement group into an order draft. Pure apart from hashing; touches no database.
 */
export async function checkSdl(text: string, options: SdlOptions): Promise<SdlCheckResult> {
  const parsed = parseYamlDocument(text);
  if (!parsed.ok) return invalid(parsed.errors);
  const { value, lineOf } = parsed.source;
  const located = (issues: FieldIssue[]): SdlError[] =>
    issues.map((issue) => ({ path: pathText(issue.at), line: lineOf(issue.at), message: issue.message }));

  if (value === null || value === undefined) {
    return invalid([
      { path: "sdl", line: 1, message: "is empty; an SDL has version, services, profiles and deployment" },
    ]);
  }

  if (MAY_HOLD_NUL.test(text)) {
    const withNul = nulIssues(value);
    if (withNul.length > 0) return invalid(located(withNul));
  }

  let generated: ReturnType<typeof generateManifest>;
  try {
    generated = generateManifest(value as SDLInput);
  } catch (error) {
    return invalid(located(issuesFromThrow(value as SDLInput, error)));
  }
  if (!generated.ok) return invalid(located(issuesFromAkash(generated.value)));

  const { groups, groupSpecs } = generated.value;
  const drafts = toOrderDrafts(groupSpecs, {
    aktPriceMicroUsd: options.aktPriceMicroUsd,
    sources: unitSourcesByGroup(value as SDLInput),
  });
  if (!drafts.ok) return invalid(located(drafts.issues));

  const manifestJson = manifestToSortedJSON(groups);
  return {
    valid: true,
    manifest: groups,
    manifestJson,
    // What chain-sdk's generateManifestVersion computes, without serializing the manifest twice.
    manifestVersion: await sha256Hex(manifestJson),
    groups: drafts.drafts,
    services: serviceSummaries(groups),
  };
}

function invalid(errors: SdlError[]): SdlCheckResult {
  const unique = new Map(errors.map((error) => [`${error.path}\u0000${error.message}`, error]));
  return { valid: false, errors: [...unique.values()].sort((a, b) => a.line - b.line) };
}

function pathText(at: readonly string[]): string {
  return at.length > 0 ? at.join(".") : "sdl";
}

/** chain-sdk's size parser, which throws on what its schema lets through ("512", "1 Gi"). */
const SIZE_PATTERN = /^([\d.]+)([a-zA-Z])([a-zA-Z]*)$/;

/**
 * generateManifest throws instead of reporting when a size is not "<number><unit>". Names the
 * fields it would have choked on, or reports the throw on the document when it was something else.
 */
function issuesFromThrow(sdl: SDLInput, error: unknown): FieldIssue[] {
  const issues: FieldIssue[] = [];
  // The schema passed before anything was built, but stay defensive: this runs after a throw.
  for (const [profile, compute] of Object.entries(sdl.profiles?.compute ?? {})) {
    const resources = ["profiles", "compute", profile, "resources"];
    if (!isSize(compute?.resources?.memory?.size)) {
      issues.push({ at: [...resources, "memory", "size"], message: SIZE_MESSAGE });
    }
    const storage = compute?.resources?.storage ?? [];
    const volumes = Array.isArray(storage) ? storage : [storage];
    volumes.forEach((volume, index) => {
      if (isSize(volume?.size)) return;
      const at = Array.isArray(storage)
        ? [...resources, "storage", String(index), "size"]
        : [...resources, "storage", "size"];
      issues.push({ at, message: SIZE_MESSAGE });
    });
  }
  if (issues.length > 0) return issues;
  const reason = error instanceof Error ? error.message : String(error);
  return [{ at: [], message: `could not be turned into an Akash manifest: ${reason}` }];
}

function isSize(value: unknown): boolean {
  return typeof value === "string" && SIZE_PATTERN.test(value);
}

const SIZE_MESSAGE = '"size" must be a number with a unit, like "512Mi", "20Gi" or "1Ti"';

/** A NUL character, or a YAML escape that writes one. */
const MAY_HOLD_NUL = /\u0000|\\(0|x00|u0000|U00000000)/;

/**
 * PostgreSQL text and jsonb cannot hold U+0000, and YAML can write it ("\0"), so it is refused
 * here, in keys and values alike, rather than failing when the deployment is stored.
 */
function nulIssues(value: unknown, at: string[] = []): FieldIssue[] {
  if (typeof value === "string") {
    return value.includes("\u0000")
      ? [{ at, message: `"${at.at(-1) ?? "sdl"}" must not contain NUL characters` }]
      : [];
  }
  if (value === null || typeof value !== "object") return [];
  const entries = Array.isArray(value)
    ? value.map((item, index) => [String(index), item] as const)
    : Object.entries(value);
  return entries.flatMap(([key, item]) =>
    key.includes("\u0000")
      ? [{ at: [...at, key], message: "keys must not contain NUL characters" }]
      : nulIssues(item, [...at, key]),
  );
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}
