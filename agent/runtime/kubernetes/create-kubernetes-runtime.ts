import { AppsV1Api, CoreV1Api, KubernetesObjectApi, NetworkingV1Api, Watch } from "@kubernetes/client-node";
import { silentLog } from "@/agent/log";
import type { Runtime } from "../runtime";
import { DeploymentWatch } from "./deployment-watch";
import { loadKubeConfig } from "./kube-config";
import { KubernetesRuntime } from "./kubernetes-runtime";
import { MANAGED_SELECTOR } from "./names";
import { resolveOptions, type KubernetesRuntimeOptions } from "./options";

/**
 * Connects to the cluster and starts watching the Deployments of every lease. Rejects when the
 * options are invalid or the API server cannot be listed, so a misconfigured agent stops at start.
 */
export async function createKubernetesRuntime(options: KubernetesRuntimeOptions): Promise<Runtime> {
  const resolved = resolveOptions(options);
  const log = options.log ?? silentLog;
  const config = loadKubeConfig(options);
  const apps = config.makeApiClient(AppsV1Api);
  const deployments = new DeploymentWatch(
    async () => {
      const list = await apps.listDeploymentForAllNamespaces({ labelSelector: MANAGED_SELECTOR });
      return { items: list.items, resourceVersion: list.metadata?.resourceVersion ?? "" };
    },
    new Watch(config),
    log,
  );
  await deployments.start();
  return new KubernetesRuntime(
    {
      objects: KubernetesObjectApi.makeApiClient(config),
      core: config.makeApiClient(CoreV1Api),
      networking: config.makeApiClient(NetworkingV1Api),
    },
    deployments,
    resolved,
    log,
  );
}
