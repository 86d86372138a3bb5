/**
 * The production server: one Node http server in front of the Next app. Requests under
 * /api/v1 go straight to the REST API's dispatcher (the same function the Next route at
 * app/api/v1/[[...path]] exports); everything else goes to Next. Next's per-request
 * routing roughly halved the API's throughput on 2 cores (see docs/api-server.md).
 */
import { createServer } from "node:http";
import path from "node:path";
import next from "next";
import { startBackgroundJobs } from "@/app/_lib/background-jobs";
import { serveFetchHandler } from "@/app/api/v1/_lib/node-adapter";
import { dispatchApi } from "@/app/api/v1/_routes";
import { env } from "@/lib/env";

const root = path.resolve(import.meta.dirname, "..");
const host = process.env.HOST ?? "127.0.0.1";
const port = Number(process.env.PORT ?? 3000);

async function main(): Promise<void> {
  const app = next({ dev: false, dir: root, hostname: host, port });
  const handleWithNext = app.getRequestHandler();
  await app.prepare();
  startBackgroundJobs();
  const origin = `http://${host}:${port}`;
  const trustProxy = env().TRUST_PROXY;
  const server = createServer((req, res) => {
    // This server is the edge unless a proxy is trusted: the client address it passes on is
    // the socket's, never a header the client wrote. Rate limits key on it.
    if (!trustProxy) req.headers["x-forwarded-for"] = req.socket.remoteAddress ?? "";
    const url = req.url ?? "/";
    if (url === "/api/v1" || url.startsWith("/api/v1/") || url.startsWith("/api/v1?")) {
      void serveFetchHandler(req, res, dispatchApi, origin);
      return;
    }
    void handleWithNext(req, res);
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  process.stdout.write(`ready on ${origin}\n`);
  const stop = () => {
    server.close();
    server.closeAllConnections();
    void app.close().finally(() => process.exit(0));
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`server failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
