import { z } from "zod";
import { ExpiresInSecondsSchema, UsdPriceSchema } from "@/lib/market/market.schemas";

/** Request schemas of deployments; the REST API, the forms and the OpenAPI document share them. */

export const MAX_AUTO_ACCEPT_SECONDS = 3_600;

export const CreateDeploymentSchema = z.strictObject({
  /** Akash SDL (v2.0 or v2.1) as YAML text; checked in full by lib/sdl, which names each bad field. */
  sdl: z.string({ message: "must be the SDL as a YAML string" }).min(1, { message: "is required" }),
  name: z
    .string()
    .trim()
    .min(1, { message: "must not be empty" })
    .max(80, { message: "must be at most 80 characters" })
    .optional(),
  /** Accept the cheapest bid that fits each order once the window has passed. */
  autoAccept: z.boolean({ message: "must be true or false" }).default(false),
  autoAcceptSeconds: z
    .number()
    .int({ message: "must be a whole number of seconds" })
    .min(1, { message: "must be at least 1 second" })
    .max(MAX_AUTO_ACCEPT_SECONDS, { message: `must be at most ${MAX_AUTO_ACCEPT_SECONDS} seconds` })
    .optional(),
  /** Per placement group: the most the tenant pays per hour, replacing the price derived from the SDL. */
  maxPricePerHour: z.record(z.string().min(1).max(128), UsdPriceSchema).default({}),
  /** How long its orders stay open for bids; ORDER_TTL_SECONDS when left out. */
  expiresInSeconds: ExpiresInSecondsSchema.optional(),
});
export type CreateDeploymentInput = z.infer<typeof CreateDeploymentSchema>;

export const CheckSdlSchema = z.strictObject({
  sdl: z.string({ message: "must be the SDL as a YAML string" }),
});
