import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";

/**
 * Serves a fetch-style handler (Request -> Response) on Node's http server, streaming the
 * response (event streams stay open) and aborting the Request when the client goes away.
 * The production server and the integration tests serve the REST API through it.
 */
const peerAddresses = new WeakMap<Request, string>();

/** The TCP peer of a request served here; null behind Next's own server, which does not tell. */
export function peerAddressOf(request: Request): string | null {
  return peerAddresses.get(request) ?? null;
}

export async function serveFetchHandler(
  req: IncomingMessage,
  res: ServerResponse,
  handler: (request: Request) => Promise<Response>,
  origin: string,
): Promise<void> {
  const controller = new AbortController();
  res.on("close", () => controller.abort());
  // A response sent before the body was read (413) must not leave the rest of the body on a kept-alive connection.
  res.on("finish", () => req.resume());
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const entry of value) headers.append(name, entry);
    else if (value !== undefined) headers.set(name, value);
  }
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  const request = new Request(new URL(req.url ?? "/", origin), {
    method: req.method,
    headers,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
    duplex: "half",
    signal: controller.signal,
  } as RequestInit);
  if (req.socket.remoteAddress) peerAddresses.set(request, req.socket.remoteAddress);
  const response = await handler(request);
  res.writeHead(response.status, Object.fromEntries(response.headers));
  if (!response.body) {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  // Cancelling the body tells a stream (an event stream above all) that its client is gone.
  res.on("close", () => void reader.cancel().catch(() => undefined));
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      res.write(value);
    }
  } catch {
    // the client went away
  }
  res.end();
}
