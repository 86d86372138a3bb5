import { createHash, randomBytes } from "node:crypto";

/** API keys look like `bc_<43 base64url chars>`; only their sha256 is stored. */
export const API_KEY_PREFIX = "bc_";
const DISPLAY_PREFIX_LENGTH = 10;

export function generateApiKey(): { key: string; prefix: string; hash: string } {
  const key = API_KEY_PREFIX + randomBytes(32).toString("base64url");
  return { key, prefix: key.slice(0, DISPLAY_PREFIX_LENGTH), hash: hashApiKey(key) };
}

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

export function looksLikeApiKey(value: string): boolean {
  return value.startsWith(API_KEY_PREFIX) && value.length > API_KEY_PREFIX.length + 20 && value.length < 200;
}
