import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "./password";

describe("password hashing", () => {
  it("verifies the password it hashed and rejects any other", async () => {
    const stored = await hashPassword("correct horse battery", 14);
    expect(stored).toMatch(/^scrypt\$14\$8\$1\$/);
    expect(await verifyPassword("correct horse battery", stored)).toBe(true);
    expect(await verifyPassword("correct horse batterz", stored)).toBe(false);
  });

  it("salts every hash, so equal passwords store differently", async () => {
    const [a, b] = await Promise.all([hashPassword("same password", 14), hashPassword("same password", 14)]);
    expect(a).not.toBe(b);
  });

  it("keeps verifying old hashes after the cost is raised", async () => {
    const cheap = await hashPassword("a long password", 14);
    await hashPassword("a long password", 15);
    expect(await verifyPassword("a long password", cheap)).toBe(true);
  });

  it("treats malformed stored hashes as a failed match", async () => {
    expect(await verifyPassword("x", "plain-text")).toBe(false);
    expect(await verifyPassword("x", "scrypt$14$8$1$onlysalt")).toBe(false);
  });
});
