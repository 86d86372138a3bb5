import { AppError } from "@/lib/errors";

/** A read from the chain during a request; an unreachable RPC is a 502 that names the chain, not a 500. */
export async function readChain<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw new AppError("CHAIN_REJECTED", "the chain's RPC did not answer; try again in a moment", {
      cause: error,
    });
  }
}

export function requireChain<T>(runtime: T | null): T {
  if (!runtime)
    throw new AppError("INVALID_STATE", "escrow is not configured on this marketplace (no chain)");
  return runtime;
}
