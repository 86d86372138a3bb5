import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import {
  compileContracts,
  GENERATED_FILE,
  renderGeneratedFile,
  type CompiledContracts,
} from "../../../scripts/contracts-build";
import { escrowAbi, escrowBytecode, testUsdcAbi, testUsdcBytecode } from "./contracts.generated";

/** The committed artifacts must be exactly what the committed Solidity sources compile to. */
describe("contracts.generated.ts", () => {
  let compiled: CompiledContracts;

  beforeAll(() => {
    compiled = compileContracts();
  }, 120_000);

  it("holds the escrow ABI and bytecode the current sources compile to", () => {
    expect(escrowAbi).toEqual(compiled.escrow.abi);
    expect(escrowBytecode).toBe(compiled.escrow.bytecode);
  });

  it("holds the test USDC ABI and bytecode the current sources compile to", () => {
    expect(testUsdcAbi).toEqual(compiled.testUsdc.abi);
    expect(testUsdcBytecode).toBe(compiled.testUsdc.bytecode);
  });

  it("is byte for byte what npm run contracts:build writes", async () => {
    expect(readFileSync(GENERATED_FILE, "utf8")).toBe(await renderGeneratedFile(compiled));
  });

  it("exposes the escrow entry points the chain adapter calls", () => {
    const functions = new Set(escrowAbi.filter((item) => item.type === "function").map((item) => item.name));
    for (const name of [
      "openAccount",
      "deposit",
      "closeAccount",
      "openLease",
      "settle",
      "closeLease",
      "withdraw",
      "getAccount",
      "getDepositors",
      "getLease",
      "receiptDigest",
      "owed",
      "totalOwed",
    ]) {
      expect(functions).toContain(name);
    }
  });
});
