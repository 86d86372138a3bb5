import { mkdir } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

/**
 * The embedded database: PGlite keeping its files in `dataDir`, served on a local TCP port
 * so the app talks to it with a normal postgresql:// URL, exactly as to a real server.
 * Only one process may open a data folder.
 */
export async function startEmbeddedDatabase(options: {
  dataDir: string;
  port: number;
  maxConnections: number;
}): Promise<{ url: string; stop: () => Promise<void> }> {
  await mkdir(options.dataDir, { recursive: true });
  const database = await PGlite.create(options.dataDir);
  const server = new PGLiteSocketServer({
    db: database,
    host: "127.0.0.1",
    port: options.port,
    maxConnections: options.maxConnections,
  });
  await server.start();
  return {
    url: `postgresql://postgres@127.0.0.1:${options.port}/postgres?sslmode=disable`,
    stop: async () => {
      await server.stop();
      await database.close();
    },
  };
}
