import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serveFetchHandler } from "@/app/api/v1/_lib/node-adapter";
import { dispatchApi } from "@/app/api/v1/_routes";

/**
 * Serves the real /api/v1 dispatcher (the same function the Next route exports) over real
 * HTTP on a random port, so integration tests go through sockets, headers and JSON
 * without a Next build.
 */
export async function startApiServer(): Promise<{
  baseUrl: string;
  /** Cuts every open connection (event streams included) and keeps listening, as a network blip would. */
  dropConnections: () => void;
  close: () => Promise<void>;
}> {
  const server: Server = createServer((req, res) => {
    void serveFetchHandler(req, res, dispatchApi, `http://${req.headers.host ?? "127.0.0.1"}`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    dropConnections: () => server.closeAllConnections(),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
