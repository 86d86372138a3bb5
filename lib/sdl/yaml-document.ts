import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  Lexer,
  LineCounter,
  parseDocument,
  type Alias,
  type Document,
  type Node,
  type Pair,
  type Scalar,
  type YAMLMap,
} from "yaml";
import {
  MAX_SDL_BYTES,
  MAX_SDL_ERRORS,
  MAX_SDL_LINES,
  MAX_YAML_ANCHORS_ALIASES_TAGS,
  MAX_YAML_DEPTH,
  MAX_YAML_NODES,
} from "./limits";
import type { SdlError } from "./types";

/** A parsed SDL: the plain value chain-sdk reads, and the document that knows where each field is. */
export interface YamlSource {
  value: unknown;
  /** 1-based line of the field at these path segments (see lineOfPath). */
  lineOf: (at: readonly string[]) => number;
}

export type ParseYamlResult = { ok: true; source: YamlSource } | { ok: false; errors: SdlError[] };

/**
 * Parses one YAML document as Akash's own loaders read SDLs (js-yaml in Akash Console, yaml.v3 in
 * the Go tools): YAML 1.2 core schema, `<<` merge keys, unique map keys, no unknown tags. Keeps
 * positions, and refuses input that would cost too much to read, before reading it where it can.
 */
export function parseYamlDocument(text: string): ParseYamlResult {
  const refused = refusalBeforeParsing(text);
  if (refused) return fail(refused.line, refused.message);

  const lineCounter = new LineCounter();
  const lineOfOffset = (offset: number) => lineCounter.linePos(offset).line;
  const doc = parseDocument(text, {
    lineCounter,
    // The YAML 1.2 core schema even under a "%YAML 1.1" directive (js-yaml reads `yes` as a
    // string either way), with `<<` merges, and without YAML 1.1's !!binary, !!set, !!timestamp…
    // (read as tags SDLs do not use, below).
    schema: "core",
    merge: true,
    resolveKnownTags: false,
    // prettyErrors would quote the source around every error: quadratic on a flood of errors.
    prettyErrors: false,
    // yaml compares each key with every earlier one; structureErrors uses one set per map.
    uniqueKeys: false,
  });
  const exhausted = doc.errors.find((error) => STACK_EXHAUSTED.test(error.message));
  if (exhausted) return fail(lineOfOffset(exhausted.pos[0]), TOO_DEEP_MESSAGE);
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.slice(0, MAX_SDL_ERRORS).map((error) => ({
        path: "sdl",
        line: lineOfOffset(error.pos[0]),
        message: `is not valid YAML: ${describeYamlError(error.code, error.message)}`,
      })),
    };
  }

  const tooDeep = tooDeepOffset(doc.contents);
  if (tooDeep !== null) return fail(lineOfOffset(tooDeep), TOO_DEEP_MESSAGE);
  const targets = aliasTargets(doc.contents);
  const bomb = aliasExpansionExcessAt(doc.contents, targets);
  if (bomb !== null) {
    return fail(
      lineOfOffset(bomb),
      `expands YAML aliases into more than ${MAX_YAML_NODES} values; alias bombs are refused`,
    );
  }
  const structural = [
    ...structureErrors(doc.contents, targets, lineOfOffset),
    ...unknownTagErrors(doc, lineOfOffset),
  ];
  if (structural.length > 0) return { ok: false, errors: structural.slice(0, MAX_SDL_ERRORS) };

  let value: unknown;
  try {
    // yaml's own alias count (maxAliasCount) rescans the document for every alias it weighs,
    // which a 10 KiB document of nested anchors turns into seconds; aliasExpansionExcessAt bounds
    // the expanded size instead.
    value = doc.toJS({ maxAliasCount: -1 });
  } catch {
    // The checks above leave yaml nothing to refuse here; should it still, say so without its words.
    return fail(1, "is not valid YAML: it could not be read into plain values");
  }
  const index = new PairIndex(targets);
  return {
    ok: true,
    source: { value, lineOf: (at) => lineOfPath(doc.contents, index, targets, lineOfOffset, at) },
  };
}

/** The dotted path of a field ("services.web.image"), or "sdl" for the document itself. */
export function pathText(at: readonly string[]): string {
  return at.length > 0 ? at.join(".") : "sdl";
}

const TOO_DEEP_MESSAGE = `nests YAML collections more than ${MAX_YAML_DEPTH} levels deep`;

/** yaml reports a composer that ran out of stack (compact "- - - …" nesting) as a parse error. */
const STACK_EXHAUSTED = /call stack/i;

function fail(line: number, message: string): ParseYamlResult {
  return { ok: false, errors: [{ path: "sdl", line, message }] };
}

/**
 * Cheap bounds checked before the YAML composer runs, whose cost grows with what they count:
 * size, lines, nodes, flow nesting, and anchors, aliases and tags.
 */
function refusalBeforeParsing(text: string): { line: number; message: string } | null {
  if (utf8ByteLength(text) > MAX_SDL_BYTES) {
    return {
      line: 1,
      message: `is larger than ${MAX_SDL_BYTES / 1024} KiB (${MAX_SDL_BYTES} bytes); SDL files are a few KiB`,
    };
  }
  if (lineCount(text) > MAX_SDL_LINES) {
    return {
      line: MAX_SDL_LINES + 1,
      message: `has more than ${MAX_SDL_LINES} lines; SDL files have a few hundred`,
    };
  }
  return lexerRefusal(text);
}

function utf8ByteLength(text: string): number {
  // Cheap bounds first: a UTF-16 unit is 1 to 3 UTF-8 bytes.
  if (text.length * 3 <= MAX_SDL_BYTES) return text.length;
  if (text.length > MAX_SDL_BYTES) return text.length;
  return new TextEncoder().encode(text).length;
}

function lineCount(text: string): number {
  let lines = 1;
  let index = text.indexOf("\n");
  while (index !== -1 && lines <= MAX_SDL_LINES) {
    lines++;
    index = text.indexOf("\n", index + 1);
  }
  return lines;
}

/**
 * One pass of the YAML lexer (linear, and a fraction of what composing costs). Quoted strings,
 * comments and block scalars are single tokens, so "a && b" in a command counts for nothing.
 */
function lexerRefusal(text: string): { line: number; message: string } | null {
  let depth = 0;
  let nodes = 0;
  let properties = 0;
  let offset = 0;
  for (const token of new Lexer().lex(text)) {
    const first = token[0] ?? "";
    if (first === "[" || first === "{") {
      depth += 1;
      if (depth > MAX_YAML_DEPTH) return { line: lineAt(text, offset), message: TOO_DEEP_MESSAGE };
    } else if (first === "]" || first === "}") {
      depth = Math.max(0, depth - 1);
    } else if (first === "&" || first === "*" || first === "!") {
      properties += 1;
      if (properties > MAX_YAML_ANCHORS_ALIASES_TAGS) {
        return {
          line: lineAt(text, offset),
          message: `has more than ${MAX_YAML_ANCHORS_ALIASES_TAGS} YAML anchors, aliases and tags; SDL files use a few`,
        };
      }
    }
    if (NODE_START.has(first)) {
      nodes += 1;
      if (nodes > MAX_YAML_NODES) {
        return {
          line: lineAt(text, offset),
          message: `has more than ${MAX_YAML_NODES} YAML values and collections; SDL files have a few hundred`,
        };
      }
    }
    if (!LEXER_MARKERS.has(first)) offset += token.length;
  }
  return null;
}

/** Tokens the lexer adds that are not in the source (document start, flow end, scalar start). */
const LEXER_MARKERS = new Set(["\x02", "\x18", "\x1f"]);

/**
 * First characters of the lexer tokens that start a node: the scalar marker (before plain and
 * block scalars), quotes, flow collections, block sequence items and explicit keys.
 */
const NODE_START = new Set(["\x1f", "'", '"', "[", "{", "-", "?"]);

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let index = text.indexOf("\n"); index !== -1 && index < offset; index = text.indexOf("\n", index + 1))
    line++;
  return line;
}

/** yaml's messages may end with " at line L, column C:" and a code excerpt; the line is reported separately. */
function describeYamlError(code: string, message: string): string {
  if (code === "MULTIPLE_DOCS")
    return "an SDL is a single YAML document; remove the extra `---` and what follows";
  return message.replace(/ at line \d+, column \d+:[\s\S]*$/, "");
}

interface Visit {
  node: unknown;
  /** The map key or list index that leads here from `parent`. */
  segment: string | null;
  parent: Visit | null;
  depth: number;
}

/**
 * Calls `visitor` on every node in document order (a map key before its value, an anchor before
 * its aliases); `at()` gives the path of the field it is (a map key gets its entry's path), built
 * only when asked for. Iterative, since block nesting is bounded only by the input's size.
 */
function forEachNode(root: unknown, visitor: (node: Node, at: () => string[], depth: number) => void): void {
  const stack: Visit[] = [{ node: root, segment: null, parent: null, depth: 0 }];
  while (stack.length > 0) {
    const visit = stack.pop()!;
    const { node, depth } = visit;
    if (!node || typeof node !== "object") continue;
    visitor(node as Node, () => pathOfVisit(visit), depth);
    const children: Visit[] = [];
    if (isMap(node)) {
      for (const pair of node.items) {
        const segment = keyText(pair.key) ?? "?";
        children.push(
          { node: pair.key, segment, parent: visit, depth: depth + 1 },
          { node: pair.value, segment, parent: visit, depth: depth + 1 },
        );
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) =>
        children.push({ node: item, segment: String(index), parent: visit, depth: depth + 1 }),
      );
    }
    for (let index = children.length - 1; index >= 0; index--) stack.push(children[index]!);
  }
}

function pathOfVisit(visit: Visit): string[] {
  const at: string[] = [];
  for (let current: Visit | null = visit; current; current = current.parent) {
    if (current.segment !== null) at.push(current.segment);
  }
  return at.reverse();
}

/** Where the first collection nested deeper than MAX_YAML_DEPTH starts, or null. */
function tooDeepOffset(root: unknown): number | null {
  let offset: number | null = null;
  forEachNode(root, (node, _, depth) => {
    if (offset === null && depth >= MAX_YAML_DEPTH && (isMap(node) || isSeq(node)))
      offset = rangeStart(node) ?? 0;
  });
  return offset;
}

/** Each alias's node: the last node before it with its anchor, as YAML (and yaml's resolve) defines. */
function aliasTargets(root: unknown): Map<Alias, Node> {
  const anchored = new Map<string, Node>();
  const targets = new Map<Alias, Node>();
  forEachNode(root, (node) => {
    if (isAlias(node)) {
      const target = anchored.get(node.source);
      if (target) targets.set(node, target);
    } else if ((isScalar(node) || isMap(node) || isSeq(node)) && node.anchor) {
      anchored.set(node.anchor, node);
    }
  });
  return targets;
}

/**
 * Where the alias is whose expansion takes the values that aliases add past MAX_YAML_NODES, or
 * null. An alias adds its target's size, aliases within it included (an alias bomb doubles or
 * nines its size per level); sizes are memoized, and an alias within its own target is infinite.
 */
function aliasExpansionExcessAt(root: unknown, targets: ReadonlyMap<Alias, Node>): number | null {
  const sizes = new Map<Node, number>();
  const sizeOf = (node: unknown): number => {
    if (isAlias(node)) {
      const target = targets.get(node);
      return target ? sizeOf(target) : 0;
    }
    if (!isMap(node) && !isSeq(node)) return isScalar(node) ? 1 : 0;
    const known = sizes.get(node);
    if (known !== undefined) return known;
    sizes.set(node, Infinity);
    let size = 1;
    for (const item of node.items) {
      size += isPair(item) ? sizeOf(item.key) + sizeOf(item.value) : sizeOf(item);
    }
    sizes.set(node, size);
    return size;
  };
  let added = 0;
  let excessAt: number | null = null;
  forEachNode(root, (node) => {
    if (excessAt !== null || !isAlias(node)) return;
    added += sizeOf(node);
    if (added > MAX_YAML_NODES) excessAt = rangeStart(node) ?? 0;
  });
  return excessAt;
}

/**
 * What js-yaml and yaml.v3 refuse but yaml would read anyway (or throw on while building the
 * value): a key given twice in one map (checked with one set per map; `<<` merge keys may repeat),
 * a list or map as a key, an alias with no anchor before it, a `<<` that merges no map.
 */
function structureErrors(
  root: unknown,
  targets: ReadonlyMap<Alias, Node>,
  lineOfOffset: (offset: number) => number,
): SdlError[] {
  const errors: SdlError[] = [];
  const add = (node: unknown, path: string, message: string) => {
    if (errors.length < MAX_SDL_ERRORS)
      errors.push({ path, line: lineOfOffset(rangeStart(node) ?? 0), message });
  };
  forEachNode(root, (node, pathOfNode) => {
    if (isAlias(node) && !targets.has(node)) {
      add(
        node,
        pathText(pathOfNode()),
        `uses the alias *${node.source}, but no anchor &${node.source} comes before it`,
      );
    }
    if (!isMap(node)) return;
    const seen = new Set<unknown>();
    for (const pair of node.items) {
      if (!isScalar(pair.key)) {
        add(
          pair.key ?? node,
          pathText(pathOfNode()),
          "has a key that is a list, a map or an alias; keys must be plain values",
        );
      } else if (isMergeKey(pair.key)) {
        if (!mergesMaps(pair.value, targets)) {
          add(
            pair.key,
            pathText([...pathOfNode(), "<<"]),
            '"<<" must merge a map, an alias of one, or a list of them',
          );
        }
      } else if (seen.has(pair.key.value)) {
        add(pair.key, "sdl", "is not valid YAML: Map keys must be unique");
      } else {
        seen.add(pair.key.value);
      }
    }
  });
  return errors;
}

function mergesMaps(value: unknown, targets: ReadonlyMap<Alias, Node>): boolean {
  const source = resolveAlias(value, targets);
  if (isMap(source)) return true;
  return isSeq(source) && source.items.every((item) => isMap(resolveAlias(item, targets)));
}

/** With `merge` on, yaml reads a plain `<<` key as this symbol; a quoted "<<" stays a string. */
function isMergeKey(key: Scalar): boolean {
  return typeof key.value === "symbol" && key.value.description === "<<";
}

/**
 * Tags are refused where js-yaml refuses them: one it does not know (`!foo`), and a standard tag
 * on a value it cannot mean (`!!int abc`). yaml would only warn and read the value as if untagged,
 * so the SDL would mean something else to Akash. YAML 1.1's extra tags (!!binary, !!set,
 * !!timestamp…) are refused too: they make values no SDL field takes, read differently by each
 * loader.
 */
function unknownTagErrors(doc: Document.Parsed, lineOfOffset: (offset: number) => number): SdlError[] {
  const unresolved = doc.warnings.filter((warning) => warning.code === "TAG_RESOLVE_FAILED");
  if (unresolved.length === 0) return [];
  const known = new Set([...doc.schema.tags.map((tag) => tag.tag), "!"]);
  const tagged: Array<{ start: number; tag: string; at: () => string[] }> = [];
  forEachNode(doc.contents, (node, at) => {
    const tag = isScalar(node) || isMap(node) || isSeq(node) ? node.tag : undefined;
    if (tag !== undefined) tagged.push({ start: rangeStart(node) ?? 0, tag, at });
  });
  return unresolved.slice(0, MAX_SDL_ERRORS).map((warning) => {
    // The node a tag belongs to starts after it: the first tagged node starting past the tag.
    const node = tagged.find((candidate) => candidate.start >= warning.pos[1]);
    if (!node)
      return { path: "sdl", line: lineOfOffset(warning.pos[0]), message: "has a YAML tag SDLs do not use" };
    const at = node.at();
    const field = `"${at.at(-1) ?? "sdl"}"`;
    return {
      path: pathText(at),
      line: lineOfOffset(warning.pos[0]),
      message: known.has(node.tag)
        ? `${field} cannot be read as ${shortTag(node.tag)}`
        : `${field} has the YAML tag ${shortTag(node.tag)}, which SDLs do not use; remove it`,
    };
  });
}

function shortTag(tag: string): string {
  return tag.startsWith("tag:yaml.org,2002:") ? `!!${tag.slice("tag:yaml.org,2002:".length)}` : tag;
}

/**
 * Each map's entries by key, built when first asked for, with the entries a `<<` merge brings in
 * (the explicit ones win, then the first merged source, as when the value was built).
 */
class PairIndex {
  private readonly byMap = new WeakMap<YAMLMap, Map<string, Pair>>();
  private readonly building = new WeakSet<YAMLMap>();

  constructor(private readonly targets: ReadonlyMap<Alias, Node>) {}

  pair(map: YAMLMap, key: string): Pair | undefined {
    return this.entries(map).get(key);
  }

  private entries(map: YAMLMap): Map<string, Pair> {
    const known = this.byMap.get(map);
    if (known) return known;
    const entries = new Map<string, Pair>();
    if (this.building.has(map)) return entries;
    this.building.add(map);
    const merges: Pair[] = [];
    for (const pair of map.items) {
      if (isScalar(pair.key) && isMergeKey(pair.key)) {
        merges.push(pair);
        continue;
      }
      const key = keyText(pair.key);
      if (key !== null && !entries.has(key)) entries.set(key, pair);
    }
    for (const merge of merges) {
      for (const source of this.mergeSources(merge.value)) {
        for (const [key, pair] of this.entries(source)) if (!entries.has(key)) entries.set(key, pair);
      }
    }
    this.byMap.set(map, entries);
    return entries;
  }

  private mergeSources(value: unknown): YAMLMap[] {
    const resolved = resolveAlias(value, this.targets);
    if (isMap(resolved)) return [resolved];
    if (!isSeq(resolved)) return [];
    return resolved.items.flatMap((item) => {
      const source = resolveAlias(item, this.targets);
      return isMap(source) ? [source] : [];
    });
  }
}

function resolveAlias(node: unknown, targets: ReadonlyMap<Alias, Node>): unknown {
  return isAlias(node) ? targets.get(node) : node;
}

/**
 * The 1-based line of the field at `at`: of its key when it is a map entry (a block value starts
 * on the next line), of the item when it is a list entry. A missing field gets its nearest
 * existing ancestor's line.
 */
function lineOfPath(
  root: unknown,
  index: PairIndex,
  targets: ReadonlyMap<Alias, Node>,
  lineOfOffset: (offset: number) => number,
  at: readonly string[],
): number {
  let node: unknown = root;
  const rootStart = rangeStart(node);
  let line = rootStart === null ? 1 : lineOfOffset(rootStart);
  for (const segment of at) {
    node = resolveAlias(node, targets);
    if (isMap(node)) {
      const pair = index.pair(node, segment);
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
