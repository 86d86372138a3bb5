/** Bounds on what checkSdl reads, so one request cannot exhaust the server. */

/** SDL text larger than this (UTF-8 bytes) is refused before parsing; real SDLs are a few KiB. */
export const MAX_SDL_BYTES = 1024 * 1024;

/**
 * YAML alias expansions allowed while building the value (the `yaml` default, stated here because
 * an alias bomb — "billion laughs" — is the attack it stops).
 */
export const MAX_YAML_ALIAS_COUNT = 100;

/**
 * Deepest flow nesting (`[[[...` or `{a: {a: ...`) accepted. The YAML composer recurses per level:
 * past ~800 levels it runs out of stack, and a megabyte of brackets costs seconds. SDLs use 2 or 3.
 */
export const MAX_YAML_FLOW_DEPTH = 64;
