import type { RuntimeConfig } from "../config";
import type { AgentLog } from "../log";
import { createLocalRuntime } from "./local/local-runtime";
import type { Runtime } from "./runtime";

export type { LeaseWorkload, Runtime, WorkloadPort, WorkloadService } from "./runtime";

/** The configured runtime. Kubernetes is loaded only when configured: the local demo never loads its client. */
export async function createRuntime(config: RuntimeConfig, log: AgentLog): Promise<Runtime> {
  if (config.kind === "local")
    return createLocalRuntime({ host: config.host, publicHost: config.publicHost });
  const { kind: _kind, ...options } = config;
  const { createKubernetesRuntime } = await import("./kubernetes");
  return createKubernetesRuntime({ ...options, log });
}
