import { validationError } from "@/lib/errors";
import type { LeaseWorkload } from "../runtime";
import { isDns1035Label, isDnsSubdomain } from "./names";
import type { ResolvedOptions } from "./options";

const MAX_PORT = 65_535;

/**
 * What a workload must be for this runtime to run it; throws a VALIDATION AppError naming the field.
 * Returns, per service, the GPU node label values its pods may be scheduled on.
 */
export function checkWorkload(workload: LeaseWorkload, options: ResolvedOptions): Map<string, string[]> {
  if (workload.services.length === 0) throw validationError("services", "must list at least one service");
  const names = new Set<string>();
  const gpuNodeValues = new Map<string, string[]>();
  workload.services.forEach((service, index) => {
    const at = `services[${index}]`;
    // Service names become Deployment, Service and container names and in-cluster DNS names.
    if (!isDns1035Label(service.name)) {
      throw validationError(
        `${at}.name`,
        "must be at most 63 lowercase letters, digits and dashes, starting with a letter and not ending with a dash",
      );
    }
    if (names.has(service.name)) throw validationError(`${at}.name`, `"${service.name}" is used twice`);
    names.add(service.name);
    if (service.image.trim() === "") throw validationError(`${at}.image`, "must not be empty");
    if (!Number.isInteger(service.count) || service.count < 1) {
      throw validationError(`${at}.count`, "must be a whole number of at least 1");
    }
    const { resources } = service;
    if (!Number.isInteger(resources.cpuMillicores) || resources.cpuMillicores < 1) {
      throw validationError(`${at}.resources.cpuMillicores`, "must be a whole number of at least 1");
    }
    if (resources.memoryBytes < 1n)
      throw validationError(`${at}.resources.memoryBytes`, "must be at least 1");
    if (resources.storageBytes < 0n)
      throw validationError(`${at}.resources.storageBytes`, "must not be negative");
    if (!Number.isInteger(resources.gpu.units) || resources.gpu.units < 0) {
      throw validationError(`${at}.resources.gpu.units`, "must be a whole number");
    }
    service.env.forEach((entry, envIndex) => {
      if (entry.startsWith("=") || entry === "") {
        throw validationError(`${at}.env[${envIndex}]`, 'must be "NAME=value" with a name');
      }
    });
    service.expose.forEach((port, portIndex) => {
      const portAt = `${at}.expose[${portIndex}]`;
      if (!Number.isInteger(port.port) || port.port < 1 || port.port > MAX_PORT) {
        throw validationError(`${portAt}.port`, `must be a port number from 1 to ${MAX_PORT}`);
      }
      port.hosts.forEach((host, hostIndex) => {
        checkTenantHost(host, `${portAt}.hosts[${hostIndex}]`, options.ingressDomain);
      });
    });
    if (resources.gpu.units > 0)
      gpuNodeValues.set(service.name, nodeValuesFor(resources.gpu.models, at, options));
  });
  return gpuNodeValues;
}

function checkTenantHost(host: string, at: string, ingressDomain: string): void {
  if (!isDnsSubdomain(host)) throw validationError(at, "must be a lowercase DNS name");
  // The provider's own hosts are handed out per lease: a tenant naming one would take another lease's traffic.
  if (host === ingressDomain || host.endsWith(`.${ingressDomain}`)) {
    throw validationError(at, `must not be under the provider's domain ${ingressDomain}`);
  }
}

function nodeValuesFor(models: readonly string[], at: string, options: ResolvedOptions): string[] {
  if (models.length === 0) return [];
  const values = models.flatMap((model) => options.gpuModels.get(model.toLowerCase()) ?? []);
  if (values.length === 0) {
    throw validationError(
      `${at}.resources.gpu.models`,
      `no node label value is configured for ${models.join(", ")} (gpuModels): the pods could never be scheduled`,
    );
  }
  return [...new Set(values)];
}
