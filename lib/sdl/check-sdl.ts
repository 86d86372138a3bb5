import { generateManifest, manifestToSortedJSON, type SDLInput } from "@akashnetwork/chain-sdk/web";
import { issuesFromAkash } from "./akash-errors";
import { emptyDeploymentIssues, groupLimitIssues } from "./group-limits";
import { inputShapeIssues } from "./input-shapes";
import { MAX_SDL_ERRORS } from "./limits";
import { serviceSummaries } from "./service-summary";
import { unstorableTextIssues } from "./storable-text";
import { toOrderDrafts } from "./to-orders";
import type { FieldIssue, SdlCheckResult, SdlError, SdlOptions } from "./types";
import { unitSourcesByGroup } from "./unit-sources";
import { parseYamlDocument, pathText } from "./yaml-document";

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

  const unstorable = unstorableTextIssues(text, value, lineOf);
  if (unstorable.length > 0) return invalid(unstorable);

  const tooMany = groupLimitIssues(value);
  if (tooMany.length > 0) return invalid(located(tooMany));

  const shapeIssues = inputShapeIssues(value);
  let generated: ReturnType<typeof generateManifest>;
  try {
    generated = generateManifest(value as SDLInput);
  } catch {
    // chain-sdk throws on shapes its schema does not catch; the checks above name the known ones.
    // Its message is an internal one ("Cannot read properties of undefined"), never shown.
    return invalid(located(shapeIssues.length > 0 ? shapeIssues : [MANIFEST_FAILED]));
  }
  if (!generated.ok) {
    const shaped = new Set(shapeIssues.map((issue) => pathText(issue.at)));
    const akash = issuesFromAkash(generated.value).filter((issue) => !shaped.has(pathText(issue.at)));
    return invalid(located([...shapeIssues, ...akash]));
  }
  if (shapeIssues.length > 0) return invalid(located(shapeIssues));

  const { groups, groupSpecs } = generated.value;
  const empty = emptyDeploymentIssues(value, groupSpecs.length);
  if (empty.length > 0) return invalid(located(empty));
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

const MANIFEST_FAILED: FieldIssue = {
  at: [],
  message: "could not be turned into an Akash manifest: a field has a value of a type Akash does not expect",
};

/** The first errors by line, each once; past MAX_SDL_ERRORS the rest add nothing a person would read. */
function invalid(errors: SdlError[]): SdlCheckResult {
  const unique = new Map(errors.map((error) => [`${error.path}\u0000${error.message}`, error]));
  return {
    valid: false,
    errors: [...unique.values()].sort((a, b) => a.line - b.line).slice(0, MAX_SDL_ERRORS),
  };
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}
