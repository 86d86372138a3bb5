import { z } from "zod";
import { OUTBOX_VIEWS } from "@/components/escrow/outbox-views";
import { ROLES } from "@/lib/auth/principal";
import { BID_STATES, LEASE_STATES, ORDER_STATES } from "@/lib/market/types";

const DEPLOYMENT_STATES = ["active", "closed"] as const;

/** The admin page's query string. Unknown or malformed values fall back to "no filter". */
export const ADMIN_TABS = ["accounts", "deployments", "orders", "bids", "leases", "escrow"] as const;
export type AdminTab = (typeof ADMIN_TABS)[number];

const optional = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);

export const AdminFiltersSchema = z.object({
  tab: z.enum(ADMIN_TABS).catch("accounts"),
  status: optional(z.enum(["active", "suspended"])),
  role: optional(z.enum(ROLES)),
  q: optional(
    z
      .string()
      .trim()
      .max(254)
      .transform((value) => value || undefined),
  ),
  state: optional(z.string()),
});

export type AdminFilters = z.infer<typeof AdminFiltersSchema>;

export function parseAdminFilters(searchParams: Record<string, string | string[] | undefined>): AdminFilters {
  const single = Object.fromEntries(
    Object.entries(searchParams).map(([key, value]) => [key, Array.isArray(value) ? value[0] : value]),
  );
  return AdminFiltersSchema.parse({ tab: single.tab ?? "accounts", ...single });
}

export const STATES_BY_TAB = {
  accounts: [],
  deployments: DEPLOYMENT_STATES,
  orders: ORDER_STATES,
  bids: BID_STATES,
  leases: LEASE_STATES,
  /** The outbox's views, by chain transaction status. */
  escrow: OUTBOX_VIEWS,
} as const satisfies Record<AdminTab, readonly string[]>;

/** The state filter, if it names a state of this tab's records. */
export function stateFilter<T extends AdminTab>(
  filters: AdminFilters,
  tab: T,
): (typeof STATES_BY_TAB)[T][number] | undefined {
  const states: readonly string[] = STATES_BY_TAB[tab];
  return filters.state && states.includes(filters.state)
    ? (filters.state as (typeof STATES_BY_TAB)[T][number])
    : undefined;
}

export const AccountStatusFormSchema = z.object({
  id: z.string().min(1),
  status: z.enum(["active", "suspended"]),
});

export const IdFormSchema = z.object({ id: z.string().min(1, { message: "is required" }) });
