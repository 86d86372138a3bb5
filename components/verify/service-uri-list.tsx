import { Badge } from "@/components/ui/badge";
import type { ServiceReport } from "@/lib/verify/protocol";

/**
 * The workload's services as the provider's agent last reported them: ready or not, replicas,
 * and the URIs where each is reachable (opened in a new tab; plain text once the lease closed).
 */
export function ServiceUriList({ services, running }: { services: ServiceReport[]; running: boolean }) {
  if (services.length === 0) {
    return (
      <p className="text-sm text-slate-500">
        {running
          ? "No services reported yet. They appear, with their URIs, when the provider's agent sends its first heartbeat."
          : "The provider's agent never reported a service for this lease."}
      </p>
    );
  }
  return (
    <ul className="-my-2 divide-y divide-slate-100" aria-label="Services">
      {services.map((service) => (
        <li key={service.name} data-testid="service" className="py-2.5">
          <p className="flex flex-wrap items-center gap-2 text-sm">
            <span className="font-semibold break-all text-slate-900">{service.name}</span>
            <Badge tone={service.ready ? "green" : "amber"}>
              {service.ready ? "ready" : "not ready"}
              <span className="ml-1 tabular-nums opacity-75">
                {service.readyReplicas}/{service.replicas}
              </span>
            </Badge>
          </p>
          {service.uris.length === 0 ? (
            <p className="mt-1 text-xs text-slate-500">No public URI</p>
          ) : (
            <ul className="mt-1 space-y-0.5">
              {service.uris.map((uri) => (
                <li key={uri} className="font-mono text-xs break-all">
                  {running ? (
                    <a
                      href={uri}
                      target="_blank"
                      rel="noopener noreferrer"
                      className="font-medium text-brand-600 hover:text-brand-700 hover:underline"
                    >
                      {uri}
                      <span aria-hidden> ↗</span>
                      <span className="sr-only"> (opens in a new tab)</span>
                    </a>
                  ) : (
                    <span className="text-slate-500">{uri}</span>
                  )}
                </li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ul>
  );
}
