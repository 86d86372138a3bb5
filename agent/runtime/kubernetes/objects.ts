import type {
  KubernetesObject,
  V1Deployment,
  V1Ingress,
  V1Namespace,
  V1NetworkPolicy,
  V1Service,
} from "@kubernetes/client-node";
import type { LeaseWorkload, WorkloadService } from "../runtime";
import { deploymentObject } from "./deployment-object";
import { clusterService, ingressObject, nodePortService, type ExposureContext } from "./exposure-objects";
import { ANNOTATIONS, FIELD_MANAGER, LABELS, labelValue, namespaceName } from "./names";
import { networkPolicies } from "./network-policies";
import type { ResolvedOptions } from "./options";
import { checkWorkload } from "./workload-rules";

/**
 * Everything a lease runs as, in the form `@kubernetes/client-node` serializes (its model
 * classes' field names, e.g. `_from` for a policy's `from`). Pure: a function of the workload
 * and the provider's options.
 */
export interface LeaseObjects {
  namespace: V1Namespace;
  networkPolicies: V1NetworkPolicy[];
  services: V1Service[];
  ingresses: V1Ingress[];
  deployments: V1Deployment[];
}

export function buildLeaseObjects(workload: LeaseWorkload, options: ResolvedOptions): LeaseObjects {
  const gpuNodeValues = checkWorkload(workload, options);
  const namespace = namespaceName(workload.leaseId, options.namespacePrefix);
  const leaseLabels = {
    [LABELS.managedBy]: FIELD_MANAGER,
    [LABELS.lease]: labelValue(workload.leaseId),
    [LABELS.deployment]: labelValue(workload.deploymentId),
  };
  // The selector never changes for a service (a Deployment's selector is immutable).
  const selectorOf = (service: WorkloadService) => ({
    [LABELS.lease]: leaseLabels[LABELS.lease],
    [LABELS.service]: service.name,
  });
  const labelsOf = (service: WorkloadService) => ({
    ...leaseLabels,
    [LABELS.name]: service.name,
    [LABELS.service]: service.name,
  });
  const exposureContext = (service: WorkloadService): ExposureContext => ({
    namespace,
    leaseId: workload.leaseId,
    labels: labelsOf(service),
    selector: selectorOf(service),
    options,
  });

  return {
    namespace: {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: {
        name: namespace,
        labels: {
          ...leaseLabels,
          // Tenant code runs here: no privileged pods, host namespaces or host paths.
          "pod-security.kubernetes.io/enforce": "baseline",
        },
        annotations: {
          [ANNOTATIONS.leaseId]: workload.leaseId,
          [ANNOTATIONS.deploymentId]: workload.deploymentId,
          [ANNOTATIONS.group]: workload.groupName,
          [ANNOTATIONS.manifestVersion]: workload.manifestVersion,
        },
      },
    },
    networkPolicies: networkPolicies(workload.services, {
      namespace,
      labels: leaseLabels,
      selectorOf,
      ingressControllerNamespace: options.ingressControllerNamespace,
    }),
    services: workload.services.flatMap((service) =>
      [
        clusterService(service, exposureContext(service)),
        nodePortService(service, exposureContext(service)),
      ].filter((object) => object !== null),
    ),
    ingresses: workload.services
      .map((service) => ingressObject(service, exposureContext(service)))
      .filter((object) => object !== null),
    deployments: workload.services.map((service) =>
      deploymentObject(service, {
        namespace,
        labels: labelsOf(service),
        selector: selectorOf(service),
        gpuNodeValues: gpuNodeValues.get(service.name) ?? [],
        options,
      }),
    ),
  };
}

/**
 * The order to apply in: the namespace before what lives in it, and the policies before any pod,
 * so that no pod of a lease ever runs unisolated.
 */
export function applyOrder(objects: LeaseObjects): KubernetesObject[] {
  return [
    objects.namespace,
    ...objects.networkPolicies,
    ...objects.services,
    ...objects.ingresses,
    ...objects.deployments,
  ];
}
