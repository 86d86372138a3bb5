import { z } from "zod";
import { closeDeployment } from "@/lib/deployments/close-deployment";
import { createDeployment } from "@/lib/deployments/create-deployment";
import { getDeploymentFor, listDeploymentsFor } from "@/lib/deployments/deployment-queries";
import { CheckSdlSchema, CreateDeploymentSchema } from "@/lib/deployments/deployment.schemas";
import { deploymentToWire } from "@/lib/deployments/deployment-wire";
import { fetchManifest } from "@/lib/deployments/fetch-manifest";
import { checkSdlForEditor } from "@/lib/deployments/check-sdl";
import { listTemplatesWithEstimates } from "@/lib/deployments/template-gallery";
import { bidToWire, leaseToWire, orderToWire } from "@/lib/market/wire-format";
import { formatUsd } from "@/lib/money";
import { defineRoute } from "../_lib/route";
import { BidWire, IdParams, LeaseWire, Money, OrderWire, Timestamp } from "./schemas";

/** Room for any SDL lib/sdl accepts, once JSON-escaped; lib/sdl names the field when the SDL is too big. */
const SDL_BODY_BYTES = 4 * 1024 * 1024;

const DeploymentWire = z.object({
  id: z.string(),
  state: z.enum(["active", "closed"]),
  tenantId: z.string(),
  name: z.string(),
  manifestVersion: z.string().describe("sha256 of the manifest, lowercase hex, as Akash computes it"),
  autoAccept: z.boolean(),
  autoAcceptSeconds: z.number().int().nullable(),
  createdAt: Timestamp,
  closedAt: Timestamp.nullable(),
});

const SdlErrorWire = z.object({ path: z.string(), line: z.number().int(), message: z.string() });

const TimelineStepWire = z.object({
  kind: z.enum(["posted", "bids", "lease", "manifest", "running", "closed"]),
  at: Timestamp.nullable(),
  title: z.string(),
  detail: z.string(),
  orderId: z.string().nullable(),
});

export const deploymentRoutes = [
  defineRoute({
    method: "POST",
    path: "/deployments",
    operationId: "createDeployment",
    summary: "Post a deployment written in Akash SDL: one order per placement group, manifest hash fixed",
    tag: "deployments",
    auth: "apiKey",
    body: CreateDeploymentSchema,
    maxBodyBytes: SDL_BODY_BYTES,
    success: {
      status: 201,
      description: "Posted",
      schema: z.object({ deployment: DeploymentWire, orders: z.array(OrderWire) }),
    },
    errors: [400, 401, 403, 413, 422],
    handler: async ({ principal, body }) => {
      const { deployment, orders } = await createDeployment(principal, body);
      return {
        status: 201,
        body: { deployment: deploymentToWire(deployment), orders: orders.map(orderToWire) },
      };
    },
  }),
  defineRoute({
    method: "GET",
    path: "/deployments",
    operationId: "listDeployments",
    summary: "The caller's deployments, newest first, with their orders and leases",
    tag: "deployments",
    auth: "apiKey",
    query: z.strictObject({ limit: z.coerce.number().int().min(1).max(100).optional() }),
    success: {
      status: 200,
      description: "Deployments",
      schema: z.object({
        deployments: z.array(
          z.object({ deployment: DeploymentWire, orders: z.array(OrderWire), leases: z.array(LeaseWire) }),
        ),
      }),
    },
    errors: [401, 422],
    handler: async ({ principal, query }) => ({
      status: 200,
      body: {
        deployments: (await listDeploymentsFor(principal, query)).map((summary) => ({
          deployment: deploymentToWire(summary.deployment),
          orders: summary.orders.map(orderToWire),
          leases: summary.leases.map(leaseToWire),
        })),
      },
    }),
  }),
  defineRoute({
    method: "GET",
    path: "/deployments/{id}",
    operationId: "getDeployment",
    summary: "A deployment with its orders, bids, leases and timeline (its tenant and admins)",
    tag: "deployments",
    auth: "apiKey",
    params: IdParams,
    success: {
      status: 200,
      description: "The deployment",
      schema: z.object({
        deployment: DeploymentWire.extend({
          sdl: z
            .string()
            .nullable()
            .describe("The SDL source; null for anyone but the tenant (it may hold secrets)"),
        }),
        orders: z.array(OrderWire),
        bids: z.array(BidWire),
        leases: z.array(LeaseWire),
        timeline: z.array(TimelineStepWire),
      }),
    },
    errors: [401, 403, 404],
    handler: async ({ principal, params }) => {
      const detail = await getDeploymentFor(principal, params.id);
      return {
        status: 200,
        body: {
          deployment: { ...deploymentToWire(detail.deployment), sdl: detail.sdl },
          orders: detail.orders.map(orderToWire),
          bids: detail.bids.map(bidToWire),
          leases: detail.leases.map(leaseToWire),
          timeline: detail.timeline.map((step) => ({ ...step, at: step.at?.toISOString() ?? null })),
        },
      };
    },
  }),
  defineRoute({
    method: "POST",
    path: "/deployments/{id}/close",
    operationId: "closeDeployment",
    summary: "Close a deployment: its open orders and bids close, its leases close and free their inventory",
    tag: "deployments",
    auth: "apiKey",
    params: IdParams,
    success: { status: 200, description: "Closed", schema: z.object({ deployment: DeploymentWire }) },
    errors: [401, 403, 404, 409],
    handler: async ({ principal, params }) => ({
      status: 200,
      body: { deployment: deploymentToWire(await closeDeployment(principal, params.id)) },
    }),
  }),
  defineRoute({
    method: "GET",
    path: "/deployments/{id}/manifest",
    operationId: "getDeploymentManifest",
    summary:
      "The manifest (tenant and the provider that won a lease only); the provider's first fetch marks it delivered",
    tag: "deployments",
    auth: "apiKey",
    params: IdParams,
    success: {
      status: 200,
      description: "The manifest and its version hash",
      schema: z.object({
        deploymentId: z.string(),
        manifestVersion: z.string(),
        manifest: z.array(z.unknown()).describe("Akash manifest groups"),
        manifestJson: z
          .string()
          .describe("Akash's sorted JSON of the manifest: sha256 of these UTF-8 bytes is manifestVersion"),
      }),
    },
    errors: [401, 403, 404],
    handler: async ({ principal, params }) => {
      const view = await fetchManifest(principal, params.id);
      return {
        status: 200,
        body: {
          deploymentId: view.deploymentId,
          manifestVersion: view.manifestVersion,
          manifest: JSON.parse(view.manifestJson) as unknown,
          manifestJson: view.manifestJson,
        },
      };
    },
  }),
  defineRoute({
    method: "POST",
    path: "/sdl/check",
    operationId: "checkSdl",
    summary: "Check an SDL without posting it: errors with path and line, or its orders and manifest hash",
    tag: "deployments",
    auth: "apiKey",
    body: CheckSdlSchema,
    maxBodyBytes: SDL_BODY_BYTES,
    success: {
      status: 200,
      description: "The verdict (an invalid SDL is a 200 with valid: false)",
      schema: z.object({
        valid: z.boolean(),
        groups: z.number().int(),
        manifestVersion: z.string().nullable(),
        errors: z.array(SdlErrorWire),
        orders: z.array(
          z.object({
            groupName: z.string(),
            resources: OrderWire.shape.resources,
            count: z.number().int(),
            additionalUnits: OrderWire.shape.additionalUnits,
            maxPricePerHour: Money,
          }),
        ),
      }),
    },
    errors: [401, 413, 422],
    handler: async ({ body }) => ({ status: 200, body: await checkSdlForEditor(body.sdl) }),
  }),
  defineRoute({
    method: "GET",
    path: "/templates",
    operationId: "listTemplates",
    summary:
      "The template gallery: real AI workloads as SDL, with an hourly estimate from recent winning prices",
    tag: "deployments",
    auth: "public",
    success: {
      status: 200,
      description: "Templates",
      schema: z.object({
        templates: z.array(
          z.object({
            slug: z.string(),
            name: z.string(),
            description: z.string(),
            category: z.string(),
            gpuSummary: z.string(),
            sdl: z.string(),
            estimatedPricePerHour: Money.nullable(),
            estimateBasis: z.string(),
          }),
        ),
      }),
    },
    errors: [],
    handler: async () => ({
      status: 200,
      body: {
        templates: (await listTemplatesWithEstimates()).map((template) => ({
          ...template,
          estimatedPricePerHour:
            template.estimatedPricePerHour === null ? null : formatUsd(template.estimatedPricePerHour),
        })),
      },
    }),
  }),
];
