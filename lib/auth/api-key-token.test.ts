import { describe, expect, it } from "vitest";
import { generateApiKey, hashApiKey, looksLikeApiKey } from "./api-key-token";

describe("API key tokens", () => {
  it("stores only a hash that the presented key reproduces", () => {
    const { key, prefix, hash } = generateApiKey();
    expect(key.startsWith(prefix)).toBe(true);
    expect(hash).not.toContain(key);
    expect(hashApiKey(key)).toBe(hash);
    expect(hashApiKey(`${key}x`)).not.toBe(hash);
  });

  it("makes a different key every time", () => {
    const keys = new Set(Array.from({ length: 50 }, () => generateApiKey().key));
    expect(keys.size).toBe(50);
  });

  it("recognizes its own format and rejects other strings cheaply", () => {
    expect(looksLikeApiKey(generateApiKey().key)).toBe(true);
    expect(looksLikeApiKey("bc_short")).toBe(false);
    expect(looksLikeApiKey("Bearer something")).toBe(false);
  });
});
