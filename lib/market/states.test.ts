import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { assertTransition, canTransition } from "@/lib/market/states";
import { BID_STATES, LEASE_STATES, ORDER_STATES } from "@/lib/market/types";

// Written out independently of the tables under test, as "entity:from->to".
const ALLOWED = new Set([
  "order:open->active",
  "order:open->closed",
  "order:active->closed",
  "bid:open->active",
  "bid:open->lost",
  "bid:open->closed",
  "bid:active->closed",
  "lease:active->insufficient_funds",
  "lease:active->closed",
  "lease:insufficient_funds->closed",
]);

function everyPair(entity: string, states: readonly string[]) {
  return states.flatMap((from) =>
    states.map((to) => ({ entity, from, to, allowed: ALLOWED.has(`${entity}:${from}->${to}`) })),
  );
}

const PAIRS = [
  ...everyPair("order", ORDER_STATES),
  ...everyPair("bid", BID_STATES),
  ...everyPair("lease", LEASE_STATES),
];

// The generic signature ties a state to its entity; the table mixes entities, so widen here.
const assertAny = assertTransition as (entity: string, from: string, to: string) => void;
const canAny = canTransition as (entity: string, from: string, to: string) => boolean;

describe("state transitions", () => {
  it("covers every from x to pair of every entity", () => {
    expect(PAIRS).toHaveLength(3 * 3 + 4 * 4 + 3 * 3);
    expect(PAIRS.filter((pair) => pair.allowed)).toHaveLength(ALLOWED.size);
  });

  describe.each(PAIRS.filter((pair) => pair.allowed))("$entity: $from -> $to", ({ entity, from, to }) => {
    it("is allowed", () => {
      expect(canAny(entity, from, to)).toBe(true);
      expect(() => assertAny(entity, from, to)).not.toThrow();
    });
  });

  describe.each(PAIRS.filter((pair) => !pair.allowed))("$entity: $from -> $to", ({ entity, from, to }) => {
    it("is rejected as INVALID_STATE naming both states", () => {
      expect(canAny(entity, from, to)).toBe(false);
      let thrown: unknown;
      try {
        assertAny(entity, from, to);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(AppError);
      expect(thrown).toMatchObject({
        code: "INVALID_STATE",
        message: `${entity} cannot go from ${from} to ${to}`,
      });
    });
  });

  it("rejects a state the entity does not have", () => {
    expect(canAny("order", "lost", "closed")).toBe(false);
    expect(() => assertAny("lease", "open", "closed")).toThrow("lease cannot go from open to closed");
  });
});
