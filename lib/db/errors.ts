import { AppError } from "@/lib/errors";
import { Prisma } from "./generated/client";

/** Translates database errors at the edge so use cases never parse driver errors. */
export function translateDbError(error: unknown): unknown {
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
