import http from "node:http";
import type { AddressInfo } from "node:net";

export type SseResponder = (request: http.IncomingMessage, response: http.ServerResponse) => void;

/**
 * A double of GET /api/v1/events for the failure modes of an event stream: each connection is
 * answered by the next scripted responder (a 5xx, a stream that ends, an `event: closed`, a 401),
 * and 503 once the script runs out. The real API serves the stream too (agent-event-stream.test.ts
 * resumes against it), but it cannot be made to fail on cue.
 */
export async function startSseServerDouble(responders: SseResponder[]): Promise<{
  /** Base URL of the double's API, like ".../api/v1". */
  url: string;
  /** Every request it got, in arrival order. */
  requests: http.IncomingMessage[];
  close: () => Promise<void>;
}> {
  const requests: http.IncomingMessage[] = [];
  const server = http.createServer((request, response) => {
    requests.push(request);
    const respond =
      responders[requests.length - 1] ?? ((_, res: http.ServerResponse) => res.writeHead(503).end());
    respond(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/v1`,
    requests,
    close: () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
