import { AppError } from "@/lib/errors";
import { Prisma } from "./generated/client";

/** PostgreSQL's deadlock_detected and serialization_failure: the transaction may simply run again. */
const TRANSIENT_SQLSTATES = ["40P01", "40001"];

/**
 * Whether a transaction failed only because it collided with another (a deadlock or a
 * serialization failure): running it again is safe and usually succeeds. Prisma reports these
 * as P2034 or passes the driver's error through; both carry the SQLSTATE somewhere.
 */
export function isTransientConflict(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2034") return true;
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === "object" && !seen.has(current)) {
    seen.add(current);
    const record = current as { code?: unknown; originalCode?: unknown; cause?: unknown; message?: unknown };
    for (const value of [record.code, record.originalCode]) {
      if (typeof value === "string" && TRANSIENT_SQLSTATES.includes(value)) return true;
    }
    if (
      typeof record.message === "string" &&
      /deadlock detected|could not serialize access/.test(record.message)
    ) {
      return true;
    }
    current = record.cause;
  }
  return false;
}

/** Translates database errors at the edge so use cases never parse driver errors. */
export function translateDbError(error: unknown): unknown {
  if (isTransientConflict(error)) {
    return new AppError("CONFLICT", "the change collided with another one at the same moment; try again", {
      cause: error,
    });
  }
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    if (error.code === "P2002") {
      const target = (error.meta?.target as string[] | string | undefined) ?? "value";
      const field = Array.isArray(target) ? target.join(",") : target;
      return new AppError("CONFLICT", `${field} is already taken`, {
        fields: [{ path: field, message: "is already taken" }],
        cause: error,
      });
    }
    if (error.code === "P2025") return new AppError("NOT_FOUND", "not found", { cause: error });
  }
  return error;
}
