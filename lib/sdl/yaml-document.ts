import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  Lexer,
  LineCounter,
  parseDocument,
  visit,
  type Document,
  type Node,
} from "yaml";
import { MAX_SDL_BYTES, MAX_YAML_ALIAS_COUNT, MAX_YAML_FLOW_DEPTH } from "./limits";
import type { SdlError } from "./types";

/** A parsed SDL: the plain value chain-sdk reads, and the document that knows where each field is. */
export interface YamlSource {
  value: unknown;
  /** 1-based line of the field at these path segments (see lineOfPath). */
  lineOf: (at: readonly string[]) => number;
}

export type ParseYamlResult = { ok: true; source: YamlSource } | { ok: false; errors: SdlError[] };

/**
 * Parses one YAML document with `yaml`'s default options (so the value is exactly what
 * `parse(text)` gives, which is what Akash's version hashes are computed from), keeping positions,
 * and refusing input that would cost too much to parse.
 */
export function parseYamlDocument(text: string): ParseYamlResult {
  if (utf8ByteLength(text) > MAX_SDL_BYTES) {
    return fail(
      1,
      `is larger than ${MAX_SDL_BYTES / 1024 / 1024} MiB (${MAX_SDL_BYTES} bytes); SDL files are a few KiB`,
    );
  }
  const tooDeepAt = flowTooDeepAt(text);
  if (tooDeepAt !== null) {
    return fail(tooDeepAt.line, `nests brackets more than ${MAX_YAML_FLOW_DEPTH} levels deep`);
  }

  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const firstError = doc.errors[0];
  if (firstError) {
    return {
      ok: false,
      errors: doc.errors.map((error) => ({
        path: "sdl",
        line: error.linePos?.[0].line ?? 1,
        message: `is not valid YAML: ${describeYamlError(error.code, error.message)}`,
      })),
    };
  }

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_YAML_ALIAS_COUNT });
  } catch (error) {
    if (error instanceof ReferenceError && /alias/i.test(error.message)) {
      return fail(
        firstAliasLine(doc, lineCounter),
        `expands YAML aliases too often (more than ${MAX_YAML_ALIAS_COUNT} times); alias bombs are refused`,
      );
    }
    throw error;
  }
  return {
    ok: true,
    source: { value, lineOf: (at) => lineOfPath(doc, lineCounter, at) },
  };
}

function fail(line: number, message: string): ParseYamlResult {
  return { ok: false, errors: [{ path: "sdl", line, message }] };
}

function utf8ByteLength(text: string): number {
  // Cheap bounds first: a UTF-16 unit is 1 to 3 UTF-8 bytes.
  if (text.length * 3 <= MAX_SDL_BYTES) return text.length;
  if (text.length > MAX_SDL_BYTES) return text.length;
  return new TextEncoder().encode(text).length;
}

/** Counts flow brackets as the YAML lexer sees them (quoted strings, comments and block scalars excluded). */
function flowTooDeepAt(text: string): { line: number } | null {
  if (!/[[{]/.test(text)) return null;
  let depth = 0;
  let offset = 0;
  for (const token of new Lexer().lex(text)) {
    if (token === "[" || token === "{") {
      depth += 1;
      if (depth > MAX_YAML_FLOW_DEPTH) return { line: lineAt(text, offset) };
    } else if (token === "]" || token === "}") {
      depth = Math.max(0, depth - 1);
    }
    offset += token.length;
  }
  return null;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let index = text.indexOf("\n"); index !== -1 && index < offset; index = text.indexOf("\n", index + 1))
    line++;
  return line;
}

/** yaml's messages end with " at line L, column C:" and a code excerpt; the line is reported separately. */
function describeYamlError(code: string, message: string): string {
  const firstLine = message.replace(/ at line \d+, column \d+:[\s\S]*$/, "");
  if (code === "MULTIPLE_DOCS")
    return "an SDL is a single YAML document; remove the extra `---` and what follows";
  return firstLine;
}

function firstAliasLine(doc: Document, lineCounter: LineCounter): number {
  let line = 1;
  visit(doc, {
    Alias(_, node) {
      line = node.range ? lineCounter.linePos(node.range[0]).line : 1;
      return visit.BREAK;
    },
  });
  return line;
}

/**
 * The 1-based line of the field at `at`: of its key when it is a map entry (a block value starts
 * on the next line), of the item when it is a list entry. A missing field gets its nearest
 * existing ancestor's line.
 */
function lineOfPath(doc: Document, lineCounter: LineCounter, at: readonly string[]): number {
  const lineOfOffset = (offset: number) => lineCounter.linePos(offset).line;
  let node: unknown = doc.contents;
  let line = rangeStart(node) === null ? 1 : lineOfOffset(rangeStart(node)!);
  for (const segment of at) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && keyText(item.key) === segment);
      if (!pair) break;
      const start = rangeStart(pair.key) ?? rangeStart(pair.value);
      if (start !== null) line = lineOfOffset(start);
      node = pair.value;
    } else if (isSeq(node)) {
      const item: unknown = /^\d+$/.test(segment) ? node.items[Number(segment)] : undefined;
      if (item === undefined) break;
      const start = rangeStart(item);
      if (start !== null) line = lineOfOffset(start);
      node = item;
    } else {
      break;
    }
  }
  return line;
}

function keyText(key: unknown): string | null {
  if (isScalar(key)) return String(key.value);
  return null;
}

function rangeStart(node: unknown): number | null {
  const range = (node as Node | null | undefined)?.range;
  return range ? range[0] : null;
}
