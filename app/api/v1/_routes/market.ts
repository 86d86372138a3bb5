import { z } from "zod";
import { acceptBid } from "@/lib/market/accept-bid";
import { addInventory } from "@/lib/market/add-inventory";
import { closeBid } from "@/lib/market/close-bid";
import { closeLease } from "@/lib/market/close-lease";
import { closeOrder } from "@/lib/market/close-order";
import { createOrder } from "@/lib/market/create-order";
import {
  getLeaseFor,
  getOrderFor,
  getOwnProvider,
  listBidsForOrderFor,
  listLeasesFor,
  listOrdersFor,
  listOwnBids,
  listOwnInventory,
} from "@/lib/market/market-queries";
import {
  AddInventorySchema,
  CreateOrderSchema,
  LeaseStateSchema,
  OrderStateSchema,
  PlaceBidSchema,
  UpsertProviderSchema,
} from "@/lib/market/market.schemas";
import { placeBid } from "@/lib/market/place-bid";
import { removeInventory } from "@/lib/market/remove-inventory";
import { upsertProvider } from "@/lib/market/upsert-provider";
import {
  bidToWire,
  inventoryToWire,
  leaseToWire,
  orderToWire,
  providerToWire,
} from "@/lib/market/wire-format";
import { AppError } from "@/lib/errors";
import { defineRoute } from "../_lib/route";
import { BidWire, IdParams, InventoryWire, LeaseWire, OrderWire, ProviderWire } from "./schemas";

const Limit = z.coerce.number().int().min(1).max(200).optional();

export const marketRoutes = [
  defineRoute({
    method: "PUT",
    path: "/provider",
    operationId: "upsertProvider",
    summary: "Register or update the caller's provider profile",
    tag: "provider",
    auth: "apiKey",
    body: UpsertProviderSchema,
    success: { status: 200, description: "The profile", schema: z.object({ provider: ProviderWire }) },
    errors: [400, 401, 403, 422],
    handler: async ({ principal, body }) => ({
      status: 200,
      body: { provider: providerToWire(await upsertProvider(principal, body)) },
    }),
  }),
  defineRoute({
    method: "GET",
    path: "/provider",
    operationId: "getProvider",
    summary: "The caller's provider profile",
    tag: "provider",
    auth: "apiKey",
    success: { status: 200, description: "The profile", schema: z.object({ provider: ProviderWire }) },
    errors: [401, 403, 404],
    handler: async ({ principal }) => {
      const provider = await getOwnProvider(principal);
      if (!provider)
        throw new AppError("NOT_FOUND", "no provider profile yet; PUT /api/v1/provider to register");
      return { status: 200, body: { provider: providerToWire(provider) } };
    },
  }),
  defineRoute({
    method: "POST",
    path: "/provider/inventory",
    operationId: "addInventory",
    summary: "List a machine's GPUs, CPU, memory and storage",
    tag: "provider",
    auth: "apiKey",
    body: AddInventorySchema,
    success: { status: 201, description: "Listed", schema: z.object({ inventory: InventoryWire }) },
    errors: [400, 401, 403, 409, 422],
    handler: async ({ principal, body }) => ({
      status: 201,
      body: { inventory: inventoryToWire(await addInventory(principal, body)) },
    }),
  }),
  defineRoute({
    method: "GET",
    path: "/provider/inventory",
    operationId: "listInventory",
    summary: "The caller's inventory with what is allocated",
    tag: "provider",
    auth: "apiKey",
    success: {
      status: 200,
      description: "Inventory",
      schema: z.object({ inventory: z.array(InventoryWire) }),
    },
    errors: [401, 403, 409],
    handler: async ({ principal }) => ({
      status: 200,
      body: { inventory: (await listOwnInventory(principal)).map(inventoryToWire) },
    }),
  }),
  defineRoute({
    method: "DELETE",
    path: "/provider/inventory/{id}",
    operationId: "removeInventory",
    summary: "Remove inventory that no lease holds",
    tag: "provider",
    auth: "apiKey",
    params: IdParams,
    success: { status: 200, description: "Removed", schema: z.object({ removed: z.literal(true) }) },
    errors: [401, 403, 404, 409],
    handler: async ({ principal, params }) => {
      await removeInventory(principal, params.id);
      return { status: 200, body: { removed: true } };
    },
  }),
  defineRoute({
    method: "GET",
    path: "/provider/bids",
    operationId: "listOwnBids",
    summary: "The caller's bids, newest first",
    tag: "provider",
    auth: "apiKey",
    query: z.strictObject({ limit: Limit }),
    success: { status: 200, description: "Bids", schema: z.object({ bids: z.array(BidWire) }) },
    errors: [401, 403, 409, 422],
    handler: async ({ principal, query }) => ({
      status: 200,
      body: { bids: (await listOwnBids(principal, query.limit)).map(bidToWire) },
    }),
  }),
  defineRoute({
    method: "POST",
    path: "/orders",
    operationId: "createOrder",
    summary: "Post an order for GPU capacity with a maximum hourly price",
    tag: "orders",
    auth: "apiKey",
    body: CreateOrderSchema,
    success: { status: 201, description: "Order posted", schema: z.object({ order: OrderWire }) },
    errors: [400, 401, 403, 413, 422],
    handler: async ({ principal, body }) => ({
      status: 201,
      body: { order: orderToWire(await createOrder(principal, body)) },
    }),
  }),
  defineRoute({
    method: "GET",
    path: "/orders",
    operationId: "listOrders",
    summary:
      "Orders: a tenant sees its own (view=mine); a provider sees the open orders its free inventory can serve (view=market)",
    tag: "orders",
    auth: "apiKey",
    query: z.strictObject({
      state: OrderStateSchema.optional(),
      view: z.enum(["mine", "market"]).optional(),
      limit: Limit,
    }),
    success: { status: 200, description: "Orders", schema: z.object({ orders: z.array(OrderWire) }) },
    errors: [401, 403, 409, 422],
    handler: async ({ principal, query }) => ({
      status: 200,
      body: { orders: (await listOrdersFor(principal, query)).map(orderToWire) },
    }),
  }),
  defineRoute({
    method: "GET",
    path: "/orders/{id}",
    operationId: "getOrder",
    summary: "One order",
    tag: "orders",
    auth: "apiKey",
    params: IdParams,
    success: { status: 200, description: "The order", schema: z.object({ order: OrderWire }) },
    errors: [401, 403, 404],
    handler: async ({ principal, params }) => ({
      status: 200,
      body: { order: orderToWire(await getOrderFor(principal, params.id)) },
    }),
  }),
  defineRoute({
    method: "POST",
    path: "/orders/{id}/close",
    operationId: "closeOrder",
    summary: "Close an order: its open bids close; its lease, if any, closes and frees the inventory",
    tag: "orders",
    auth: "apiKey",
    params: IdParams,
    success: { status: 200, description: "Closed", schema: z.object({ order: OrderWire }) },
    errors: [401, 403, 404, 409],
    handler: async ({ principal, params }) => ({
      status: 200,
      body: { order: orderToWire(await closeOrder(principal, params.id)) },
    }),
  }),
  defineRoute({
    method: "POST",
    path: "/orders/{id}/bids",
    operationId: "placeBid",
    summary: "Bid on an open order at or under its max price",
    tag: "bids",
    auth: "apiKey",
    params: IdParams,
    body: PlaceBidSchema,
    success: { status: 201, description: "Bid placed", schema: z.object({ bid: BidWire }) },
    errors: [400, 401, 403, 404, 409, 422],
    handler: async ({ principal, params, body }) => ({
      status: 201,
      body: { bid: bidToWire(await placeBid(principal, params.id, body.pricePerHour)) },
    }),
  }),
  defineRoute({
    method: "GET",
    path: "/orders/{id}/bids",
    operationId: "listBids",
    summary: "Bids on an order: all of them for its tenant, its own for a provider",
    tag: "bids",
    auth: "apiKey",
    params: IdParams,
    success: { status: 200, description: "Bids", schema: z.object({ bids: z.array(BidWire) }) },
    errors: [401, 403, 404],
    handler: async ({ principal, params }) => ({
      status: 200,
      body: { bids: (await listBidsForOrderFor(principal, params.id)).map(bidToWire) },
    }),
  }),
  defineRoute({
    method: "POST",
    path: "/bids/{id}/close",
    operationId: "closeBid",
    summary: "Withdraw an open bid",
    tag: "bids",
    auth: "apiKey",
    params: IdParams,
    success: { status: 200, description: "Closed", schema: z.object({ bid: BidWire }) },
    errors: [401, 403, 404, 409],
    handler: async ({ principal, params }) => ({
      status: 200,
      body: { bid: bidToWire(await closeBid(principal, params.id)) },
    }),
  }),
  defineRoute({
    method: "POST",
    path: "/bids/{id}/accept",
    operationId: "acceptBid",
    summary: "Accept a bid: the order becomes active, other bids lose, the lease starts",
    tag: "bids",
    auth: "apiKey",
    params: IdParams,
    success: { status: 201, description: "Lease created", schema: z.object({ lease: LeaseWire }) },
    errors: [401, 403, 404, 409],
    handler: async ({ principal, params }) => ({
      status: 201,
      body: { lease: leaseToWire(await acceptBid(principal, params.id)) },
    }),
  }),
  defineRoute({
    method: "GET",
    path: "/leases",
    operationId: "listLeases",
    summary: "Leases where the caller is tenant or provider",
    tag: "leases",
    auth: "apiKey",
    query: z.strictObject({ state: LeaseStateSchema.optional(), limit: Limit }),
    success: { status: 200, description: "Leases", schema: z.object({ leases: z.array(LeaseWire) }) },
    errors: [401, 403, 422],
    handler: async ({ principal, query }) => ({
      status: 200,
      body: { leases: (await listLeasesFor(principal, query)).map(leaseToWire) },
    }),
  }),
  defineRoute({
    method: "GET",
    path: "/leases/{id}",
    operationId: "getLease",
    summary: "One lease",
    tag: "leases",
    auth: "apiKey",
    params: IdParams,
    success: { status: 200, description: "The lease", schema: z.object({ lease: LeaseWire }) },
    errors: [401, 403, 404],
    handler: async ({ principal, params }) => ({
      status: 200,
      body: { lease: leaseToWire(await getLeaseFor(principal, params.id)) },
    }),
  }),
  defineRoute({
    method: "POST",
    path: "/leases/{id}/close",
    operationId: "closeLease",
    summary: "Close a lease (tenant or provider); frees the inventory",
    tag: "leases",
    auth: "apiKey",
    params: IdParams,
    success: { status: 200, description: "Closed", schema: z.object({ lease: LeaseWire }) },
    errors: [401, 403, 404, 409],
    handler: async ({ principal, params }) => ({
      status: 200,
      body: { lease: leaseToWire(await closeLease(principal, params.id)) },
    }),
  }),
];
