import { env } from "@/lib/env";
import { parseUsd } from "@/lib/money";
import type { SdlOptions } from "@/lib/sdl";

/** How this marketplace reads SDL prices: AKT at the configured dollar price. */
export function sdlOptions(): SdlOptions {
  return { aktPriceMicroUsd: parseUsd(env().AKT_PRICE_USD, "AKT_PRICE_USD") };
}
