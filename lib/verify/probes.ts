/** What a probe of a lease's endpoints found. */
export interface ProbeResult {
  ok: boolean;
  /** The first failure ("http://…: 503", "http://…: timed out after 3000 ms"), when not ok. */
  detail: string | null;
}

/**
 * Probes each URI from the marketplace's side: a GET that must answer with a status below 500
 * within the timeout (a 404 still proves something listens; a 5xx, a refused connection or
 * silence do not). Redirects are not followed: the answer of the URI itself counts.
 */
export async function probeUris(uris: readonly string[], timeoutMs: number): Promise<ProbeResult> {
  const results = await Promise.all(uris.map((uri) => probeOne(uri, timeoutMs)));
  const failure = results.find((result) => result !== null);
  return failure ? { ok: false, detail: failure } : { ok: true, detail: null };
}

async function probeOne(uri: string, timeoutMs: number): Promise<string | null> {
  try {
    const response = await fetch(uri, {
      method: "GET",
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
      headers: { "user-agent": "bidcloud-verifier" },
    });
    await response.body?.cancel();
    return response.status < 500 ? null : `${uri} answered ${response.status}`;
  } catch (error) {
    if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
      return `${uri} did not answer within ${timeoutMs} ms`;
    }
    const cause =
      error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
    return `${uri} could not be reached (${cause.replace(/\s+/g, " ").slice(0, 120)})`;
  }
}
