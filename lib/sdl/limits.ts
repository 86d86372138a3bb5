/** Bounds on what checkSdl reads, so one request cannot exhaust the server. */

/**
 * SDL text larger than this (UTF-8 bytes) is refused before parsing. Real SDLs are under 10 KiB
 * (the largest of Akash's gallery templates is 6.4 KiB); the parser's cost grows with the input,
 * so the bound is kept far below where even a hostile document costs noticeable time.
 */
export const MAX_SDL_BYTES = 256 * 1024;

/** Lines accepted (counted before parsing); the largest gallery template has under 300. */
export const MAX_SDL_LINES = 10_000;

/**
 * YAML nodes (scalars and collections): at most this many in the text, counted by the YAML lexer
 * before parsing, and at most this many more added by aliases when they are expanded (an alias
 * bomb — "billion laughs" — is a few lines that expand to billions). The largest gallery template
 * has about 450; parsing costs a few microseconds a node, and a flood of tiny nodes ("[1,1,1,…" or
 * "- a: - a: …") would otherwise fit a quarter of a million in MAX_SDL_BYTES.
 */
export const MAX_YAML_NODES = 10_000;

/**
 * Anchors (`&a`), aliases (`*a`) and tags (`!!str`, `!x`) together, counted by the YAML lexer
 * before parsing. SDLs use a handful; each one costs the composer work, so thousands on one line
 * are an attack, not a deployment.
 */
export const MAX_YAML_ANCHORS_ALIASES_TAGS = 1_000;

/**
 * Deepest nesting of YAML collections accepted; SDLs nest about 10 levels. Flow brackets
 * (`[[[…`, `{a: {a: …`) are counted by the lexer before parsing, as the composer recurses per
 * level; block nesting needs no brackets (`- - - 1` nests on one line) and is checked once
 * composed, so that nothing after recurses deeper (a composer out of stack is refused as well).
 */
export const MAX_YAML_DEPTH = 64;

/** Errors reported for one SDL; past this many the rest add nothing a person would read. */
export const MAX_SDL_ERRORS = 50;

/** Placement groups (orders) one SDL may create; the gallery's SDLs use one or two. */
export const MAX_PLACEMENT_GROUPS = 20;

/** Resource units (distinct compute profiles) in one placement group. */
export const MAX_UNITS_PER_GROUP = 20;
