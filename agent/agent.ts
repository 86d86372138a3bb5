import { privateKeyToAccount } from "viem/accounts";
import { createApiClient, type ApiClient } from "./api";
import { BidEngine } from "./bid-engine";
import type { AgentConfig } from "./config";
import { openEventStream, type StreamedEvent } from "./event-stream";
import { LeaseRunner } from "./lease-runner";
import { reasonOf, type AgentLog } from "./log";
import { BidWireSchema, LeaseWireSchema, OrderWireSchema } from "./market-wire";
import { registerSigningKey } from "./register-signing-key";
import { createRuntime } from "./runtime";
import type { Runtime } from "./runtime/runtime";

/**
 * The provider agent: next to a provider's cluster, it bids on the orders the market offers,
 * runs the leases it wins and reports signed heartbeats for them. It talks to the marketplace
 * only through the public API (REST and the event stream) with the provider's API key.
 *
 * Start: read the provider profile (fatal if refused), register the signing key, open the
 * event stream, then catch up: bid on open orders, adopt live leases. After that events drive
 * it, and a periodic resync repairs anything an event stream can miss.
 *
 * Stop keeps workloads running: a provider restarting its agent must not kill its tenants'
 * work (the restarted agent adopts them). The local runtime's processes are the exception by
 * design: they exit with the agent.
 */
export interface RunningAgent {
  readonly providerId: string;
  /** Resolves after stop(); rejects when the agent had to give up (revoked key, suspended account). */
  readonly done: Promise<void>;
  stop(): Promise<void>;
}

export interface AgentDependencies {
  log: AgentLog;
  fetch?: typeof fetch;
  /** A runtime to use instead of the configured one (tests). */
  runtime?: Runtime;
}

/** How long start waits for the event stream before catching up anyway (events then replay). */
const STREAM_CONNECT_WAIT_MS = 5_000;

export async function startAgent(config: AgentConfig, deps: AgentDependencies): Promise<RunningAgent> {
  const { log } = deps;
  const api = createApiClient({ baseUrl: config.api, apiKey: config.apiKey, fetch: deps.fetch });
  const account = privateKeyToAccount(config.signingKey);

  const provider = await api.getProvider();
  if (provider.state !== "active") throw new Error(`provider ${provider.id} is ${provider.state}`);
  log.info("provider", { id: provider.id, name: provider.name, region: provider.region, api: config.api });

  let signingKeyRegistered = await tryRegisterSigningKey(api, account, provider, log);
  const runtime = deps.runtime ?? (await createRuntime(config.runtime, log));
  log.info("runtime", { kind: runtime.kind });

  const engine = new BidEngine({ api, provider, pricing: config.pricing, log });
  const runner = new LeaseRunner({ api, runtime, account, providerId: provider.id, log });

  let stopped = false;
  let settle: { resolve: () => void; reject: (error: Error) => void } | null = null;
  const done = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  // The caller may only await done after start resolved; until then a rejection is not unhandled.
  done.catch(() => {});

  let resyncing = false;
  const resync = async () => {
    if (resyncing || stopped) return;
    resyncing = true;
    try {
      if (!signingKeyRegistered) {
        signingKeyRegistered = await tryRegisterSigningKey(api, account, await api.getProvider(), log);
      }
      await engine.resync();
      await runner.reconcile(await ownActiveLeases(api, provider.id));
    } catch (error) {
      log.warn("resync failed", { error: reasonOf(error) });
    } finally {
      resyncing = false;
    }
  };

  const onEvent = (event: StreamedEvent) => {
    switch (event.type) {
      case "order.created":
      case "order.updated": {
        const order = OrderWireSchema.safeParse(event.data);
        if (order.success) engine.onOrder(order.data);
        else log.warn("unreadable order event", { eventId: event.id });
        return;
      }
      case "bid.created":
      case "bid.updated": {
        const bid = BidWireSchema.safeParse(event.data);
        if (bid.success) engine.onBid(bid.data);
        return;
      }
      case "lease.created":
      case "lease.updated": {
        const parsed = LeaseWireSchema.safeParse(event.data);
        if (!parsed.success) {
          log.warn("unreadable lease event", { eventId: event.id });
          return;
        }
        const lease = parsed.data;
        if (lease.providerId !== provider.id) return;
        runner.onLease(lease, "event");
        // A lease took capacity (re-check open bids) or gave it back (and orders may fit again).
        if (event.type === "lease.created") engine.onCapacityChanged();
        else if (lease.state !== "active") void resync();
        return;
      }
      default:
        return;
    }
  };

  const stream = openEventStream({
    baseUrl: config.api,
    apiKey: config.apiKey,
    fetch: deps.fetch,
    log,
    onEvent,
    onConnected: (resumed) => {
      log.info(resumed ? "event stream reconnected" : "event stream connected");
      if (resumed) void resync();
    },
    onFatal: (error) => {
      log.error("giving up", { error: error.message });
      void shutDown().then(() => settle?.reject(error));
    },
  });

  const heartbeatTimer = setInterval(() => void runner.beatAll(), config.heartbeatSeconds * 1000);
  const resyncTimer = setInterval(() => void resync(), config.resyncSeconds * 1000);

  async function shutDown(): Promise<void> {
    if (stopped) return;
    stopped = true;
    clearInterval(heartbeatTimer);
    clearInterval(resyncTimer);
    engine.stop();
    runner.stop();
    await stream.stop();
    await runtime.close();
  }

  let connectWait: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    stream.connected,
    new Promise((resolve) => (connectWait = setTimeout(resolve, STREAM_CONNECT_WAIT_MS))),
  ]);
  clearTimeout(connectWait);
  if (!stopped) {
    try {
      await engine.start();
    } catch (error) {
      log.warn("catching up on orders failed; the next resync retries", { error: reasonOf(error) });
    }
    try {
      await runner.reconcile(await ownActiveLeases(api, provider.id));
    } catch (error) {
      log.warn("adopting leases failed; the next resync retries", { error: reasonOf(error) });
    }
    void runner.beatAll();
  }

  return {
    providerId: provider.id,
    done,
    async stop() {
      await shutDown();
      settle?.resolve();
    },
  };
}

async function ownActiveLeases(api: ApiClient, providerId: string) {
  // An account with both roles also sees the leases it rents as a tenant.
  return (await api.listLeases("active")).filter((lease) => lease.providerId === providerId);
}

async function tryRegisterSigningKey(
  api: ApiClient,
  account: ReturnType<typeof privateKeyToAccount>,
  provider: Awaited<ReturnType<ApiClient["getProvider"]>>,
  log: AgentLog,
): Promise<boolean> {
  try {
    await registerSigningKey(api, account, provider, log);
    return true;
  } catch (error) {
    log.error("signing key not registered: heartbeats will be refused until it is; retrying on resync", {
      error: reasonOf(error),
    });
    return false;
  }
}
