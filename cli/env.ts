import { parseUsd } from "@/lib/money";

/**
 * The environment variables the CLI reads: their names, defaults and parsing, in one place.
 * processIo picks them from process.env; commands read them only through these functions.
 */
export interface CliEnv {
  /** API key for the Bidcloud API (deploy). */
  BIDCLOUD_API_KEY?: string;
  /** Address of the Bidcloud server (deploy). */
  BIDCLOUD_URL?: string;
  /** USD per AKT, for SDL prices in uakt (sdl check). */
  AKT_PRICE_USD?: string;
}

const DEFAULT_URL = "http://127.0.0.1:3000";
const DEFAULT_AKT_PRICE_USD = "1.00";

export function cliEnvFrom(env: Readonly<Record<string, string | undefined>>): CliEnv {
  return {
    BIDCLOUD_API_KEY: env.BIDCLOUD_API_KEY,
    BIDCLOUD_URL: env.BIDCLOUD_URL,
    AKT_PRICE_USD: env.AKT_PRICE_USD,
  };
}

/** The API key, or null when it is unset or empty. */
export function apiKeyOf(env: CliEnv): string | null {
  return env.BIDCLOUD_API_KEY || null;
}

/** The server's address without a trailing slash. */
export function baseUrlOf(env: CliEnv): string {
  return (env.BIDCLOUD_URL || DEFAULT_URL).replace(/\/+$/, "");
}

/** Micro-USD per AKT; throws an AppError (VALIDATION) naming AKT_PRICE_USD when it is not a price. */
export function aktPriceMicroUsdOf(env: CliEnv): bigint {
  return parseUsd(env.AKT_PRICE_USD ?? DEFAULT_AKT_PRICE_USD, "AKT_PRICE_USD");
}
