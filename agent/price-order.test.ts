import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatUsd } from "@/lib/money";
import type { AgentPricing } from "./config";
import type { AgentOrder } from "./market-wire";
import { parsePriceOutput, PriceCommandError } from "./price-command";
import { priceOrder } from "./price-order";

let directory: string;

beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), "bidcloud-price-"));
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function script(name: string, body: string): Promise<string> {
  const file = path.join(directory, name);
  await writeFile(file, `#!/bin/sh\n${body}\n`);
  await chmod(file, 0o755);
  return `./${name}`;
}

function pricing(overrides: Partial<AgentPricing> = {}): AgentPricing {
  return {
    gpu: new Map([["h100", 2_400_000n]]),
    gpuFallback: null,
    cpuCore: 0n,
    memoryGiB: 0n,
    storageGiB: 0n,
    floor: 0n,
    margins: [],
    command: null,
    commandCwd: directory,
    ...overrides,
  };
}

function order(overrides: Partial<AgentOrder> = {}): AgentOrder {
  return {
    id: "ord_1",
    state: "open",
    deploymentId: null,
    groupName: null,
    resources: {
      gpu: { units: 1, vendor: "nvidia", model: "h100", memoryGiB: null, choices: [] },
      cpuMillicores: 1000,
      memoryBytes: 1024 ** 3,
      storageBytes: 1024 ** 3,
    },
    count: 2,
    additionalUnits: [],
    region: null,
    attributes: {},
    maxPricePerHour: 5_000_000n,
    expiresAt: new Date(Date.now() + 60_000).toISOString(),
    createdAt: new Date().toISOString(),
    ...overrides,
  };
}

describe("priceOrder", () => {
  it("uses the table without a command: every replica counts", async () => {
    expect(await priceOrder(order(), pricing(), [])).toMatchObject({ bid: true, pricePerHour: 4_800_000n });
  });

  it("bids what the command prints, given the order JSON on stdin", async () => {
    // The script answers with the order's max price read from stdin: proof it got the order.
    const command = await script("echo-max.sh", `sed -n 's/.*"maxPricePerHour":"\\([0-9.]*\\)".*/\\1/p'`);
    const decision = await priceOrder(
      order({ maxPricePerHour: 3_250_000n }),
      pricing({ command: [command] }),
      [],
    );
    expect(decision).toEqual({ bid: true, pricePerHour: 3_250_000n, gpuModels: [] });
  });

  it("applies the floor and the max price to the command's price, but no margins", async () => {
    const command = await script("one-fifty.sh", 'echo "1.50"');
    const margins = [{ when: {}, multiplyPpm: 2_000_000n }];
    expect(await priceOrder(order(), pricing({ command: [command], margins }), [])).toMatchObject({
      pricePerHour: 1_500_000n,
    });
    expect(await priceOrder(order(), pricing({ command: [command], floor: 2_000_000n }), [])).toMatchObject({
      pricePerHour: 2_000_000n,
    });
    const decision = await priceOrder(
      order({ maxPricePerHour: 1_000_000n }),
      pricing({ command: [command] }),
      [],
    );
    expect(decision).toEqual({
      bid: false,
      reason: `price 1.500000 is above the order's max ${formatUsd(1_000_000n)}`,
    });
  });

  it("does not bid when the command prints garbage", async () => {
    const command = await script("garbage.sh", 'echo "about two dollars"');
    const decision = await priceOrder(order(), pricing({ command: [command] }), []);
    expect(decision).toEqual({
      bid: false,
      reason: 'price command printed "about two dollars", not a USD price',
    });
  });

  it("does not bid when the command fails, and says how", async () => {
    const command = await script("fails.sh", 'echo "no market data" >&2; exit 3');
    const decision = await priceOrder(order(), pricing({ command: [command] }), []);
    expect(decision).toEqual({ bid: false, reason: "price command exited with status 3: no market data" });
  });

  it("does not bid when the command takes longer than 2 s, and does not wait for it", async () => {
    const command = await script("slow.sh", "sleep 10; echo 1.00");
    const started = Date.now();
    const decision = await priceOrder(order(), pricing({ command: [command] }), []);
    expect(decision).toEqual({ bid: false, reason: "price command gave no answer within 2000 ms" });
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it("does not bid when the command does not exist", async () => {
    const decision = await priceOrder(order(), pricing({ command: ["./missing.sh"] }), []);
    expect(decision.bid).toBe(false);
  });
});

describe("parsePriceOutput", () => {
  it("reads a decimal price, rounding digits past the micro-dollar up", () => {
    expect(parsePriceOutput("2.4\n")).toBe(2_400_000n);
    expect(parsePriceOutput("  3  ")).toBe(3_000_000n);
    expect(parsePriceOutput("1.2345671")).toBe(1_234_568n);
    expect(parsePriceOutput("1.2345670000")).toBe(1_234_567n);
    expect(parsePriceOutput("0.5\nignored second line")).toBe(500_000n);
  });

  it("refuses anything that is not a plain non-negative decimal", () => {
    for (const output of ["", "-1", "1e3", "$2.40", "2,40", "NaN"]) {
      expect(() => parsePriceOutput(output)).toThrow(PriceCommandError);
    }
  });
});
