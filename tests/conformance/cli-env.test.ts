import { describe, expect, it } from "vitest";
import { aktPriceMicroUsdOf, apiKeyOf, baseUrlOf, cliEnvFrom } from "@/cli/env";

describe("the CLI's environment", () => {
  it("takes only the variables the CLI documents from the process environment", () => {
    const env = cliEnvFrom({
      PATH: "/usr/bin",
      HOME: "/root",
      BIDCLOUD_API_KEY: "bc_key",
      AKT_PRICE_USD: "2.5",
    });
    expect(env).toEqual({ BIDCLOUD_API_KEY: "bc_key", BIDCLOUD_URL: undefined, AKT_PRICE_USD: "2.5" });
  });

  it("applies the defaults and parses the values", () => {
    expect(apiKeyOf({ BIDCLOUD_API_KEY: "" })).toBeNull();
    expect(baseUrlOf({})).toBe("http://127.0.0.1:3000");
    expect(baseUrlOf({ BIDCLOUD_URL: "https://bidcloud.example//" })).toBe("https://bidcloud.example");
    expect(aktPriceMicroUsdOf({})).toBe(1_000_000n);
    expect(aktPriceMicroUsdOf({ AKT_PRICE_USD: "2.50" })).toBe(2_500_000n);
    expect(() => aktPriceMicroUsdOf({ AKT_PRICE_USD: "cheap" })).toThrow(/AKT_PRICE_USD/);
  });
});
