import { KubeConfig } from "@kubernetes/client-node";
import type { KubernetesRuntimeOptions } from "./options";

/** The cluster to talk to: an explicit server, a kubeconfig file, or client-node's default search. */
export function loadKubeConfig(
  options: Pick<KubernetesRuntimeOptions, "cluster" | "kubeconfig">,
): KubeConfig {
  const config = new KubeConfig();
  if (options.cluster) {
    const { server, token } = options.cluster;
    // Plain HTTP (`kubectl proxy`, a test double) has no TLS to verify, yet client-node refuses
    // an http:// server unless skipTLSVerify is set.
    const skipTLSVerify = (options.cluster.skipTLSVerify ?? false) || server.startsWith("http://");
    config.loadFromClusterAndUser(
      { name: "bidcloud", server, skipTLSVerify },
      { name: "bidcloud-agent", ...(token ? { token } : {}) },
    );
  } else if (options.kubeconfig) {
    config.loadFromFile(options.kubeconfig);
  } else {
    // KUBECONFIG, ~/.kube/config, the in-cluster service account; failing all, http://localhost:8080,
    // which the runtime's first list then reports as unreachable.
    config.loadFromDefault();
  }
  return config;
}
