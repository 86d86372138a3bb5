import http from "node:http";

/**
 * GET http://host:port/path; resolves with the status code, or a reason when there was no
 * answer. No connection pooling: a probe must not keep a workload's server from closing.
 */
export function probeHttp(
  host: string,
  port: number,
  path: string,
  timeoutMs: number,
): Promise<{ status: number } | { error: string }> {
  return new Promise((resolve) => {
    const request = http.get({ host, port, path, agent: false, timeout: timeoutMs }, (response) => {
      response.resume();
      resolve({ status: response.statusCode ?? 0 });
    });
    request.on("timeout", () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on("error", (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
  });
}
