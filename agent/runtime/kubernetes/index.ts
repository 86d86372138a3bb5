export { createKubernetesRuntime } from "./create-kubernetes-runtime";
export { KubernetesOptionsError, type KubernetesRuntimeOptions } from "./options";
export { applyOrder, buildLeaseObjects, type LeaseObjects } from "./objects";
export { namespaceName } from "./names";
