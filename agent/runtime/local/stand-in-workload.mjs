// A stand-in for a tenant's container on the local runtime: a tiny HTTP service that shows which
// service, image and lease it stands for, with a health endpoint and switches to make it
// unhealthy. Plain ESM JavaScript run by node itself (no tsx), so it starts in tens of ms.
//
// Environment: the service's own env entries, plus
//   BIDCLOUD_PORTS     comma-separated ports to listen on (one per exposed port); PORT is the first
//   BIDCLOUD_HOST      address to listen on (default 127.0.0.1)
//   BIDCLOUD_SERVICE, BIDCLOUD_IMAGE, BIDCLOUD_LEASE_ID
//   BIDCLOUD_ENV_NAMES comma-separated names of the manifest's env entries (shown; values never are)
//
// It exits when its stdin closes (the agent that started it died) and on SIGTERM.
import http from "node:http";

const ALIVE_LOG_INTERVAL_MS = 5_000;

const service = process.env.BIDCLOUD_SERVICE ?? "service";
const image = process.env.BIDCLOUD_IMAGE ?? "unknown";
const leaseId = process.env.BIDCLOUD_LEASE_ID ?? "unknown";
const host = process.env.BIDCLOUD_HOST ?? "127.0.0.1";
const ports = (process.env.BIDCLOUD_PORTS ?? process.env.PORT ?? "").split(",").filter(Boolean).map(Number);
const envNames = (process.env.BIDCLOUD_ENV_NAMES ?? "").split(",").filter(Boolean);
const startedAt = Date.now();
let healthy = true;
let requests = 0;

function uptimeSeconds() {
  return Math.floor((Date.now() - startedAt) / 1000);
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function page() {
  const envList = envNames.length
    ? `<ul>${envNames.map((name) => `<li><code>${escapeHtml(name)}</code></li>`).join("")}</ul>`
    : "<p>none</p>";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(service)} on Bidcloud</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}code{background:#f3f3f3;padding:0 .25rem}</style>
</head><body>
<h1>${escapeHtml(service)}</h1>
<p>A stand-in for <code>${escapeHtml(image)}</code>, run by a Bidcloud provider's local runtime.</p>
<dl>
<dt>Lease</dt><dd><code>${escapeHtml(leaseId)}</code></dd>
<dt>Uptime</dt><dd>${uptimeSeconds()} s</dd>
<dt>Health</dt><dd>${healthy ? "healthy" : "unhealthy"}</dd>
</dl>
<h2>Environment variables</h2>
${envList}
</body></html>
`;
}

function send(response, status, type, body) {
  response.writeHead(status, { "content-type": type, "cache-control": "no-store" });
  response.end(body);
}

function handle(request, response) {
  requests += 1;
  const path = (request.url ?? "/").split("?")[0];
  let status = 404;
  if (request.method === "POST" && path === "/__bidcloud/unhealthy") {
    healthy = false;
    status = 204;
    send(response, status, "text/plain", "");
  } else if (request.method === "POST" && path === "/__bidcloud/healthy") {
    healthy = true;
    status = 204;
    send(response, status, "text/plain", "");
  } else if (request.method === "GET" && path === "/health") {
    status = healthy ? 200 : 503;
    send(
      response,
      status,
      "application/json",
      JSON.stringify({
        status: healthy ? "ok" : "unhealthy",
        service,
        image,
        uptimeSeconds: uptimeSeconds(),
      }),
    );
  } else if (request.method === "GET" && path === "/") {
    status = healthy ? 200 : 503;
    send(response, status, "text/html; charset=utf-8", page());
  } else {
    send(response, status, "text/plain", "not found\n");
  }
  process.stdout.write(`${request.method} ${path} ${status}\n`);
}

const servers = ports.map((port) => {
  const server = http.createServer(handle);
  server.on("error", (error) => {
    process.stderr.write(`cannot listen on ${host}:${port}: ${error.message}\n`);
    process.exit(1);
  });
  server.listen(port, host, () => process.stdout.write(`listening on ${host}:${port}\n`));
  return server;
});

const aliveTimer = setInterval(() => {
  process.stdout.write(
    `alive: uptime ${uptimeSeconds()} s, ${requests} requests, ${healthy ? "healthy" : "unhealthy"}\n`,
  );
}, ALIVE_LOG_INTERVAL_MS);

function shutDown(reason) {
  clearInterval(aliveTimer);
  process.stdout.write(`stopping: ${reason}\n`);
  for (const server of servers) server.close();
  // Open keep-alive connections must not hold the exit back.
  setTimeout(() => process.exit(0), 100).unref();
}

// Output that nobody reads any more (the agent died) ends the workload quietly.
process.stdout.on("error", () => process.exit(0));
process.stderr.on("error", () => process.exit(0));
process.on("SIGTERM", () => shutDown("SIGTERM"));
process.stdin.on("end", () => shutDown("stdin closed"));
process.stdin.on("error", () => shutDown("stdin closed"));
process.stdin.resume();
process.stdout.write(`starting ${service} (${image}) for lease ${leaseId}\n`);
