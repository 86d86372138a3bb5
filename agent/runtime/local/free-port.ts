import net from "node:net";

/**
 * A TCP port free on `host` right now, chosen by the OS. Another process could take it before the
 * workload binds it; the workload then exits and is restarted on the same port, which is rare
 * enough for a demo runtime and keeps URIs stable across restarts.
 */
export function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === "object") resolve(address.port);
        else reject(new Error("could not pick a free port"));
      });
    });
  });
}
