import { ApiException } from "@kubernetes/client-node";

/** client-node throws ApiException for any non-2xx answer; 404 is "already gone" for an idempotent delete. */
export function isNotFound(error: unknown): boolean {
  return error instanceof ApiException && error.code === 404;
}
