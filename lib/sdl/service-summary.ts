import type { Manifest } from "@akashnetwork/chain-sdk/web";
import type { ExposedPort, ServiceSummary } from "./types";

/** What each service runs and where it listens, per placement group, from Akash's manifest. */
export function serviceSummaries(manifest: Manifest): ServiceSummary[] {
  return manifest.flatMap((group) =>
    group.services.map((service) => ({
      name: service.name,
      image: service.image,
      group: group.name,
      count: service.count,
      expose: exposedPorts(service.expose),
    })),
  );
}

/** The manifest has one entry per `to` target; a port is listed once, global if any target is. */
function exposedPorts(entries: Manifest[number]["services"][number]["expose"]): ExposedPort[] {
  const ports = new Map<string, ExposedPort>();
  for (const entry of entries) {
    const key = `${entry.port}/${entry.externalPort}/${entry.proto}`;
    const known = ports.get(key);
    if (known) known.global ||= entry.global;
    else
      ports.set(key, {
        port: entry.port,
        externalPort: entry.externalPort,
        proto: entry.proto,
        global: entry.global,
      });
  }
  return [...ports.values()];
}
