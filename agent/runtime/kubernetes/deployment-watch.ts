import type { Watch } from "@kubernetes/client-node";
import { reasonOf, type AgentLog } from "@/agent/log";
import { deploymentState, isNotOlder, type DeploymentState } from "./deployment-state";
import { MANAGED_SELECTOR } from "./names";

const DEPLOYMENTS_PATH = "/apis/apps/v1/deployments";
const MIN_RETRY_DELAY_MS = 250;
const MAX_RETRY_DELAY_MS = 30_000;
/** HTTP 410 Gone: the resource version to resume from has been compacted away; list again. */
const GONE = 410;

export interface DeploymentList {
  items: unknown[];
  resourceVersion: string;
}

/**
 * Every Deployment this runtime made, in every lease, kept current by one list-then-watch
 * across the cluster (the informer pattern): status reads memory, not the API server.
 * A watch that ends is resumed from the last resource version; one that cannot be resumed
 * (410 Gone) starts over with a list.
 */
export class DeploymentWatch {
  private readonly byNamespace = new Map<string, Map<string, DeploymentState>>();
  private resourceVersion = "";
  private request: AbortController | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private failures = 0;
  private closed = false;

  constructor(
    private readonly list: () => Promise<DeploymentList>,
    private readonly watch: Watch,
    private readonly log: AgentLog,
  ) {}

  /** Lists, then watches. Rejects if the first list fails: a runtime that cannot reach its cluster does not start. */
  async start(): Promise<void> {
    await this.relist();
    await this.resume();
  }

  deploymentsIn(namespace: string): DeploymentState[] {
    return [...(this.byNamespace.get(namespace)?.values() ?? [])];
  }

  /** Takes what an apply returned, so status knows a Deployment before its watch event arrives. */
  remember(object: unknown): void {
    const state = deploymentState(object);
    if (state) this.upsert(state);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.request?.abort();
    this.request = null;
  }

  private async relist(): Promise<void> {
    const { items, resourceVersion } = await this.list();
    this.byNamespace.clear();
    for (const item of items) {
      const state = deploymentState(item);
      if (state) this.upsert(state);
    }
    this.resourceVersion = resourceVersion;
  }

  private async resume(): Promise<void> {
    if (this.closed) return;
    if (this.resourceVersion === "") await this.relist();
    const request = await this.watch.watch(
      DEPLOYMENTS_PATH,
      { labelSelector: MANAGED_SELECTOR, resourceVersion: this.resourceVersion, allowWatchBookmarks: true },
      (phase: string, object: unknown) => this.onEvent(phase, object),
      (error: unknown) => this.onDone(error),
    );
    // close() may have run while the watch was being opened.
    if (this.closed) request.abort();
    else this.request = request;
  }

  private onEvent(phase: string, object: unknown): void {
    if (phase === "ERROR") {
      if (statusCode(object) === GONE) this.resourceVersion = "";
      return;
    }
    this.failures = 0;
    const state = deploymentState(object);
    if (!state) return;
    if (phase === "DELETED") this.byNamespace.get(state.namespace)?.delete(state.name);
    else if (phase === "ADDED" || phase === "MODIFIED") this.upsert(state);
    if (state.resourceVersion) this.resourceVersion = state.resourceVersion;
  }

  private onDone(error: unknown): void {
    this.request = null;
    if (this.closed) return;
    if (statusCode(error) === GONE) this.resourceVersion = "";
    if (error) {
      this.failures += 1;
      this.log.warn("kubernetes deployment watch failed", {
        reason: reasonOf(error),
        failures: this.failures,
      });
    }
    // An API server ends every watch after a few minutes; resume at once unless it is failing.
    const delay = error ? Math.min(MAX_RETRY_DELAY_MS, MIN_RETRY_DELAY_MS * 2 ** (this.failures - 1)) : 0;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.resume().catch((reason: unknown) => this.onDone(reason ?? new Error("watch failed")));
    }, delay);
    this.retryTimer.unref();
  }

  private upsert(state: DeploymentState): void {
    const namespace = this.byNamespace.get(state.namespace) ?? new Map<string, DeploymentState>();
    const known = namespace.get(state.name);
    if (known && !isNotOlder(state.resourceVersion, known.resourceVersion)) return;
    namespace.set(state.name, state);
    this.byNamespace.set(state.namespace, namespace);
  }
}

function statusCode(value: unknown): number | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const record = value as { code?: unknown; statusCode?: unknown };
  const code = record.code ?? record.statusCode;
  return typeof code === "number" ? code : undefined;
}
