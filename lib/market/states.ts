/**
 * Allowed state transitions of orders, bids and leases (Akash's state names), as data.
 * A state missing from a list cannot be reached from that state; terminal states list nothing.
 */
import { AppError } from "@/lib/errors";
import type { BidState, LeaseState, OrderState } from "@/lib/market/types";

type TransitionTable<S extends string> = Readonly<Record<S, readonly S[]>>;

export const ORDER_TRANSITIONS: TransitionTable<OrderState> = {
  open: ["active", "closed"],
  active: ["closed"],
  closed: [],
};

export const BID_TRANSITIONS: TransitionTable<BidState> = {
  open: ["active", "lost", "closed"],
  active: ["closed"],
  lost: [],
  closed: [],
};

export const LEASE_TRANSITIONS: TransitionTable<LeaseState> = {
  active: ["insufficient_funds", "closed"],
  insufficient_funds: ["closed"],
  closed: [],
};

interface StateByEntity {
  order: OrderState;
  bid: BidState;
  lease: LeaseState;
}

export type StatefulEntity = keyof StateByEntity;

const TRANSITIONS: { [E in StatefulEntity]: TransitionTable<StateByEntity[E]> } = {
  order: ORDER_TRANSITIONS,
  bid: BID_TRANSITIONS,
  lease: LEASE_TRANSITIONS,
};

export function canTransition<E extends StatefulEntity>(
  entity: E,
  from: StateByEntity[E],
  to: StateByEntity[E],
): boolean {
  const table: Readonly<Record<string, readonly string[] | undefined>> = TRANSITIONS[entity];
  // hasOwn so a runtime value such as "toString" cannot reach Object.prototype.
  return Object.hasOwn(table, from) && (table[from]?.includes(to) ?? false);
}

export function assertTransition<E extends StatefulEntity>(
  entity: E,
  from: StateByEntity[E],
  to: StateByEntity[E],
): void {
  if (!canTransition(entity, from, to)) {
    throw new AppError("INVALID_STATE", `${entity} cannot go from ${from} to ${to}`);
  }
}
