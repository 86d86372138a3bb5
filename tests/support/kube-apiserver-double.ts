import { createHash, randomBytes, randomUUID } from "node:crypto";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { isDeepStrictEqual } from "node:util";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { Ingress } from "kubernetes-models/networking.k8s.io/v1/Ingress";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { Service } from "kubernetes-models/v1/Service";
import { parse as parseYaml } from "yaml";

/**
 * A test double of the Kubernetes API server — not a Kubernetes. It speaks the part of the REST
 * protocol the agent's Kubernetes runtime uses, the way a real API server does:
 *
 * - discovery (`/api/v1`, `/apis/<group>/<version>` resource lists), bearer-token auth;
 * - server-side apply: PATCH with `Content-Type: application/apply-patch+yaml` (JSON is YAML),
 *   `fieldManager` required, `force`; create-or-update; a no-op apply changes nothing (same
 *   resourceVersion, no watch event); another manager's apply without `force` is a 409 Conflict;
 *   any other patch type is 415;
 * - GET, LIST (equality label selectors), and LIST with `watch=true`: newline-delimited JSON
 *   events ADDED/MODIFIED/DELETED resumable from a `resourceVersion` (410 Gone once expired);
 * - DELETE, where a namespace goes Terminating for a while, then takes everything in it along;
 * - pod logs (`timestamps`, `tailLines`), and core/v1 Events;
 * - errors as `Status` objects (404 NotFound, 409 Conflict, 415, ...);
 * - applied objects are validated against Kubernetes' published OpenAPI schema (the
 *   `kubernetes-models` package), an invalid one is a 422 Invalid, as a real API server answers.
 *
 * A fake controller plays the Deployment controller and kubelet: it creates the pods, writes
 * events and a log line, and after `readyDelayMs` marks the Deployment ready, or per knob keeps it
 * unready (failing readiness probe) or crash-looping. Every request is recorded for assertions.
 */

export type DeploymentBehavior = "ready" | "never-ready" | "crash";

export interface KubeApiServerDoubleOptions {
  /** When set, every request must carry `Authorization: Bearer <token>`. */
  token?: string;
  /** How long pods take to become ready (or to fail). Default 60 ms. */
  readyDelayMs?: number;
  /** How long a deleted namespace stays Terminating before it and its contents are gone. Default 60 ms. */
  terminationDelayMs?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType: string | null;
  /** Parsed body of a PATCH/POST/PUT. */
  body: unknown;
}

type Json = Record<string, unknown>;

interface KubeObject extends Json {
  apiVersion: string;
  kind: string;
  metadata: Json & {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    resourceVersion?: string;
  };
  spec?: Json;
  status?: Json;
}

interface ResourceType {
  groupVersion: string;
  resource: string;
  kind: string;
  namespaced: boolean;
}

const RESOURCE_TYPES: readonly ResourceType[] = [
  { groupVersion: "v1", resource: "namespaces", kind: "Namespace", namespaced: false },
  { groupVersion: "v1", resource: "services", kind: "Service", namespaced: true },
  { groupVersion: "v1", resource: "pods", kind: "Pod", namespaced: true },
  { groupVersion: "v1", resource: "events", kind: "Event", namespaced: true },
  { groupVersion: "apps/v1", resource: "deployments", kind: "Deployment", namespaced: true },
  { groupVersion: "networking.k8s.io/v1", resource: "ingresses", kind: "Ingress", namespaced: true },
  {
    groupVersion: "networking.k8s.io/v1",
    resource: "networkpolicies",
    kind: "NetworkPolicy",
    namespaced: true,
  },
];

const APPLY_PATCH = "application/apply-patch+yaml";

/** Models generated from Kubernetes' OpenAPI document; `validate()` checks an object against it. */
const SCHEMA_MODELS: Record<string, new (data: never) => { validate(): void }> = {
  "v1/Namespace": Namespace,
  "v1/Service": Service,
  "apps/v1/Deployment": Deployment,
  "networking.k8s.io/v1/Ingress": Ingress,
  "networking.k8s.io/v1/NetworkPolicy": NetworkPolicy,
};

/**
 * Where a wire-form object (JSON as sent to the API server) breaks the published schema of its
 * kind: one message per violation, empty when it conforms. Throws for a kind it has no schema of.
 */
export function schemaViolations(object: { apiVersion?: unknown; kind?: unknown }): string[] {
  const Model = SCHEMA_MODELS[`${String(object.apiVersion)}/${String(object.kind)}`];
  if (!Model) throw new Error(`no schema for ${String(object.apiVersion)} ${String(object.kind)}`);
  try {
    new Model(structuredClone(object) as never).validate();
    return [];
  } catch (error) {
    const errors = (error as { errors?: Array<{ instancePath: string; message?: string }> }).errors;
    if (!errors) throw error;
    return errors.map((entry) => `${entry.instancePath || "/"} ${entry.message ?? "is invalid"}`);
  }
}

class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: Json,
  ) {
    super(message);
  }

  toStatus(): Json {
    return {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

function notFound(type: ResourceType, name: string): ApiError {
  const group = type.groupVersion.includes("/") ? type.groupVersion.split("/")[0] : "";
  const qualified = group ? `${type.resource}.${group}` : type.resource;
  return new ApiError(404, "NotFound", `${qualified} "${name}" not found`, {
    name,
    ...(group ? { group } : {}),
    kind: type.resource,
  });
}

interface Watcher {
  type: ResourceType;
  namespace: string | null;
  selector: Record<string, string>;
  response: ServerResponse;
}

interface HistoryEntry {
  resourceVersion: number;
  eventType: "ADDED" | "MODIFIED" | "DELETED";
  type: ResourceType;
  object: KubeObject;
}

interface LogEntry {
  timeNs: bigint;
  text: string;
}

export class KubeApiServerDouble {
  readonly requests: RecordedRequest[] = [];
  private readonly objects = new Map<string, KubeObject>();
  private readonly watchers = new Set<Watcher>();
  private history: HistoryEntry[] = [];
  private expiredBefore = 0;
  private resourceVersion = 1;
  private nextNodePort = 30_000;
  private nextClusterIp = 10;
  private lastLogNs = 0n;
  private readonly logs = new Map<string, LogEntry[]>();
  private readonly timers = new Map<string, Set<NodeJS.Timeout>>();
  private readonly behaviors = new Map<string, DeploymentBehavior>();
  private readonly readyDelayMs: number;
  private readonly terminationDelayMs: number;

  private constructor(
    private readonly server: http.Server,
    private readonly options: KubeApiServerDoubleOptions,
  ) {
    this.readyDelayMs = options.readyDelayMs ?? 60;
    this.terminationDelayMs = options.terminationDelayMs ?? 60;
  }

  static async start(options: KubeApiServerDoubleOptions = {}): Promise<KubeApiServerDouble> {
    let double: KubeApiServerDouble | null = null;
    const server = http.createServer((request, response) => {
      double?.handle(request, response).catch((error: unknown) => {
        if (!response.headersSent) {
          sendJson(response, 500, new ApiError(500, "InternalError", String(error)).toStatus());
        } else response.end();
      });
    });
    double = new KubeApiServerDouble(server, options);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return double;
  }

  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** How the fake controller treats Deployments of this name (in any namespace); default "ready". */
  setDeploymentBehavior(deploymentName: string, behavior: DeploymentBehavior): void {
    this.behaviors.set(deploymentName, behavior);
  }

  /** The stored object, as a client would GET it; undefined when absent. */
  find(
    groupVersion: string,
    resource: string,
    namespace: string | null,
    name: string,
  ): KubeObject | undefined {
    const object = this.objects.get(objectKey(groupVersion, resource, namespace, name));
    return object ? clone(object) : undefined;
  }

  list(groupVersion: string, resource: string, namespace: string | null = null): KubeObject[] {
    const type = resourceType(groupVersion, resource);
    return this.matching(type, namespace, {}).map(clone);
  }

  /** Appends a line to every container log of the pods whose name starts with `podPrefix`. */
  writeLog(namespace: string, podPrefix: string, text: string): void {
    for (const pod of this.matching(resourceType("v1", "pods"), namespace, {})) {
      if (pod.metadata.name.startsWith(podPrefix)) this.appendLog(namespace, pod.metadata.name, text);
    }
  }

  /** Ends every open watch stream, as an API server does every few minutes. */
  dropWatches(): void {
    for (const watcher of this.watchers) watcher.response.end();
    this.watchers.clear();
  }

  /** Forgets the watch history: resuming a watch from an older resource version gets 410 Gone. */
  expireHistory(): void {
    this.history = [];
    this.expiredBefore = this.resourceVersion;
  }

  async close(): Promise<void> {
    for (const timers of this.timers.values()) for (const timer of timers) clearTimeout(timer);
    this.timers.clear();
    this.dropWatches();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // --- HTTP ---------------------------------------------------------------------------------

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://double");
    const query = Object.fromEntries(url.searchParams);
    const contentType = request.headers["content-type"]?.split(";")[0]?.trim() ?? null;
    const text = await readBody(request);
    const recorded: RecordedRequest = {
      method: request.method ?? "GET",
      path: url.pathname,
      query,
      contentType,
      body: null,
    };
    this.requests.push(recorded);
    try {
      if (this.options.token && request.headers.authorization !== `Bearer ${this.options.token}`) {
        throw new ApiError(401, "Unauthorized", "Unauthorized");
      }
      if (text) recorded.body = parseBody(text);
      this.route(recorded, response);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      sendJson(response, error.code, error.toStatus());
    }
  }

  private route(request: RecordedRequest, response: ServerResponse): void {
    const parts = request.path.split("/").filter(Boolean);
    const [root, ...rest] = parts;
    let groupVersion: string;
    let segments: string[];
    if (root === "api" && rest[0] === "v1") {
      groupVersion = "v1";
      segments = rest.slice(1);
    } else if (root === "apis" && rest.length >= 2) {
      groupVersion = `${rest[0]}/${rest[1]}`;
      segments = rest.slice(2);
    } else throw new ApiError(404, "NotFound", "the server could not find the requested resource");

    if (segments.length === 0) {
      if (request.method !== "GET") throw methodNotAllowed();
      return sendJson(response, 200, discovery(groupVersion));
    }
    const target = parseTarget(groupVersion, segments);
    const { type, namespace, name, subresource } = target;
    if (subresource === "log") {
      if (request.method !== "GET" || !namespace || !name) throw methodNotAllowed();
      return this.sendLog(namespace, name, request.query, response);
    }
    if (subresource)
      throw new ApiError(404, "NotFound", `subresource ${subresource} is not served by this double`);

    switch (request.method) {
      case "GET":
        if (name) return sendJson(response, 200, this.get(type, namespace, name));
        if (request.query.watch === "true" || request.query.watch === "1") {
          return this.watch(type, namespace, request.query, response);
        }
        return sendJson(response, 200, this.listResponse(type, namespace, request.query));
      case "PATCH":
        if (!name) throw methodNotAllowed();
        return this.apply(type, namespace, name, request, response);
      case "DELETE":
        if (!name) throw methodNotAllowed();
        return sendJson(response, 200, this.delete(type, namespace, name));
      default:
        throw methodNotAllowed();
    }
  }

  private get(type: ResourceType, namespace: string | null, name: string): KubeObject {
    const object = this.objects.get(objectKey(type.groupVersion, type.resource, namespace, name));
    if (!object) throw notFound(type, name);
    return object;
  }

  private listResponse(type: ResourceType, namespace: string | null, query: Record<string, string>): Json {
    const items = this.matching(type, namespace, parseSelector(query.labelSelector)).map((object) => {
      // A real list's items carry no apiVersion or kind: the list's kind says it.
      const { apiVersion: _apiVersion, kind: _kind, ...item } = object;
      return item;
    });
    return {
      apiVersion: type.groupVersion,
      kind: `${type.kind}List`,
      metadata: { resourceVersion: String(this.resourceVersion) },
      items,
    };
  }

  private matching(
    type: ResourceType,
    namespace: string | null,
    selector: Record<string, string>,
  ): KubeObject[] {
    return [...this.objects.values()].filter(
      (object) =>
        object.apiVersion === type.groupVersion &&
        object.kind === type.kind &&
        (namespace === null || object.metadata.namespace === namespace) &&
        matchesSelector(object, selector),
    );
  }

  // --- Watch --------------------------------------------------------------------------------

  private watch(
    type: ResourceType,
    namespace: string | null,
    query: Record<string, string>,
    response: ServerResponse,
  ): void {
    const selector = parseSelector(query.labelSelector);
    response.writeHead(200, { "content-type": "application/json", "transfer-encoding": "chunked" });
    // A watch may stay silent for minutes: the client must see the headers now, not with the first event.
    response.flushHeaders();
    const from = query.resourceVersion ? Number(query.resourceVersion) : 0;
    if (from > 0 && from < this.expiredBefore) {
      const gone = new ApiError(410, "Expired", `too old resource version: ${from} (${this.expiredBefore})`);
      writeEvent(response, "ERROR", gone.toStatus());
      response.end();
      return;
    }
    const watcher: Watcher = { type, namespace, selector, response };
    if (from > 0) {
      for (const entry of this.history) {
        if (entry.resourceVersion > from && this.watches(watcher, entry.type, entry.object)) {
          writeEvent(response, entry.eventType, entry.object);
        }
      }
    } else {
      // No resource version: "start at most recent", sending what exists now as ADDED.
      for (const object of this.matching(type, namespace, selector)) writeEvent(response, "ADDED", object);
    }
    this.watchers.add(watcher);
    response.on("close", () => this.watchers.delete(watcher));
  }

  private watches(watcher: Watcher, type: ResourceType, object: KubeObject): boolean {
    return (
      watcher.type === type &&
      (watcher.namespace === null || watcher.namespace === object.metadata.namespace) &&
      matchesSelector(object, watcher.selector)
    );
  }

  private record(eventType: HistoryEntry["eventType"], type: ResourceType, object: KubeObject): void {
    const snapshot = clone(object);
    this.history.push({
      resourceVersion: Number(snapshot.metadata.resourceVersion),
      eventType,
      type,
      object: snapshot,
    });
    for (const watcher of this.watchers) {
      if (this.watches(watcher, type, snapshot)) writeEvent(watcher.response, eventType, snapshot);
    }
  }

  // --- Writes -------------------------------------------------------------------------------

  private bumpVersion(object: KubeObject): void {
    this.resourceVersion += 1;
    object.metadata.resourceVersion = String(this.resourceVersion);
  }

  private store(type: ResourceType, object: KubeObject, eventType: "ADDED" | "MODIFIED"): void {
    this.bumpVersion(object);
    this.objects.set(
      objectKey(type.groupVersion, type.resource, object.metadata.namespace ?? null, object.metadata.name),
      object,
    );
    this.record(eventType, type, object);
  }

  private remove(type: ResourceType, object: KubeObject): void {
    this.objects.delete(
      objectKey(type.groupVersion, type.resource, object.metadata.namespace ?? null, object.metadata.name),
    );
    this.bumpVersion(object);
    this.record("DELETED", type, object);
  }

  private apply(
    type: ResourceType,
    namespace: string | null,
    name: string,
    request: RecordedRequest,
    response: ServerResponse,
  ): void {
    if (request.contentType !== APPLY_PATCH) {
      throw new ApiError(
        415,
        "UnsupportedMediaType",
        `the body of the request was in an unknown format - accepted media types include: ${APPLY_PATCH} (this double serves server-side apply only)`,
      );
    }
    const manager = request.query.fieldManager;
    if (!manager) {
      throw new ApiError(
        422,
        "Invalid",
        'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
      );
    }
    const applied = request.body as KubeObject | null;
    if (!applied || typeof applied !== "object" || typeof applied.metadata !== "object") {
      throw new ApiError(400, "BadRequest", "the body must be an object with metadata");
    }
    if (applied.apiVersion !== type.groupVersion || applied.kind !== type.kind) {
      throw new ApiError(
        400,
        "BadRequest",
        `apiVersion/kind ${applied.apiVersion}/${applied.kind} does not match the URL`,
      );
    }
    if (applied.metadata.name !== name) {
      throw new ApiError(
        400,
        "BadRequest",
        `the name of the object (${applied.metadata.name}) does not match the name in the URL (${name})`,
      );
    }
    if (type.namespaced) {
      if (applied.metadata.namespace !== undefined && applied.metadata.namespace !== namespace) {
        throw new ApiError(
          400,
          "BadRequest",
          "the namespace of the object does not match the namespace in the URL",
        );
      }
    }
    const violations = schemaViolations(applied);
    if (violations.length > 0) {
      throw new ApiError(422, "Invalid", `${type.kind} "${name}" is invalid: ${violations.join("; ")}`, {
        name,
        kind: type.kind,
        causes: violations.map((message) => ({ reason: "FieldValueInvalid", message })),
      });
    }
    const key = objectKey(type.groupVersion, type.resource, namespace, name);
    const existing = this.objects.get(key);
    if (type.namespaced) this.requireNamespace(namespace ?? "", { forCreate: !existing });
    const now = new Date().toISOString();
    const managedFields = [
      {
        manager,
        operation: "Apply",
        apiVersion: type.groupVersion,
        time: now,
        fieldsType: "FieldsV1",
        fieldsV1: {},
      },
    ];
    if (!existing) {
      const created: KubeObject = {
        ...clone(applied),
        metadata: {
          ...clone(applied.metadata),
          ...(type.namespaced && namespace ? { namespace } : {}),
          uid: randomUUID(),
          creationTimestamp: now,
          generation: 1,
          managedFields,
        },
      };
      this.defaults(type, created, null);
      this.store(type, created, "ADDED");
      sendJson(response, 201, created);
      this.afterWrite(type, created, null);
      return;
    }

    const owner = (
      existing.metadata.managedFields as Array<{ manager: string; operation: string }> | undefined
    )?.find((entry) => entry.operation === "Apply")?.manager;
    if (owner && owner !== manager && request.query.force !== "true") {
      throw new ApiError(409, "Conflict", `Apply failed with 1 conflict: conflict with "${owner}"`, {
        causes: [{ reason: "FieldManagerConflict", message: `conflict with "${owner}"` }],
      });
    }
    const updated: KubeObject = {
      ...clone(applied),
      metadata: {
        ...clone(applied.metadata),
        ...pick(existing.metadata, [
          "namespace",
          "uid",
          "creationTimestamp",
          "generation",
          "deletionTimestamp",
          "resourceVersion",
        ]),
        managedFields: existing.metadata.managedFields,
      },
      ...(existing.status ? { status: clone(existing.status) } : {}),
    };
    this.defaults(type, updated, existing);
    if (isDeepStrictEqual(updated, existing)) {
      // A no-op apply writes nothing: same resourceVersion, no watch event.
      sendJson(response, 200, existing);
      return;
    }
    updated.metadata.managedFields = managedFields;
    if (!isDeepStrictEqual(updated.spec, existing.spec)) {
      updated.metadata.generation = Number(existing.metadata.generation ?? 1) + 1;
    }
    this.store(type, updated, "MODIFIED");
    sendJson(response, 200, updated);
    this.afterWrite(type, updated, existing);
  }

  /** What the API server fills in: defaults and allocations, kept across applies. */
  private defaults(type: ResourceType, object: KubeObject, previous: KubeObject | null): void {
    if (type.kind === "Namespace") {
      object.metadata.labels = {
        ...object.metadata.labels,
        "kubernetes.io/metadata.name": object.metadata.name,
      };
      object.spec = { finalizers: ["kubernetes"] };
      object.status ??= { phase: "Active" };
    }
    if (type.kind === "Deployment") {
      object.spec = { ...object.spec, replicas: object.spec?.replicas ?? 1 };
    }
    if (type.kind === "Service") {
      const spec = (object.spec ??= {});
      spec.clusterIP = previous?.spec?.clusterIP ?? `10.96.0.${this.nextClusterIp++}`;
      const previousPorts = (previous?.spec?.ports as Array<Json> | undefined) ?? [];
      if (spec.type === "NodePort") {
        spec.ports = ((spec.ports as Array<Json> | undefined) ?? []).map((port) => ({
          ...port,
          nodePort:
            port.nodePort ??
            previousPorts.find((old) => old.port === port.port && old.protocol === port.protocol)?.nodePort ??
            this.nextNodePort++,
        }));
      }
    }
  }

  private requireNamespace(namespace: string, { forCreate }: { forCreate: boolean }): void {
    const object = this.objects.get(objectKey("v1", "namespaces", null, namespace));
    if (!object) throw notFound(resourceType("v1", "namespaces"), namespace);
    if (forCreate && object.metadata.deletionTimestamp) {
      throw new ApiError(
        403,
        "Forbidden",
        `unable to create new content in namespace ${namespace} because it is being terminated`,
      );
    }
  }

  private delete(type: ResourceType, namespace: string | null, name: string): KubeObject {
    const object = this.get(type, namespace, name);
    if (type.kind !== "Namespace") {
      if (type.kind === "Deployment") this.stopDeployment(object);
      this.remove(type, object);
      return object;
    }
    if (object.metadata.deletionTimestamp) return object;
    object.metadata.deletionTimestamp = new Date().toISOString();
    object.status = { phase: "Terminating" };
    this.store(type, object, "MODIFIED");
    this.later(`namespace/${name}`, this.terminationDelayMs, () => this.finishNamespace(object));
    return object;
  }

  /** The namespace controller's part: everything in the namespace goes, then the namespace. */
  private finishNamespace(namespace: KubeObject): void {
    for (const type of RESOURCE_TYPES) {
      if (!type.namespaced) continue;
      for (const object of this.matching(type, namespace.metadata.name, {})) {
        if (type.kind === "Deployment") this.stopDeployment(object);
        this.remove(type, object);
      }
    }
    this.remove(resourceType("v1", "namespaces"), namespace);
  }

  // --- Fake controller and kubelet ------------------------------------------------------------

  private afterWrite(type: ResourceType, object: KubeObject, previous: KubeObject | null): void {
    if (type.kind !== "Deployment") return;
    if (previous && previous.metadata.generation === object.metadata.generation) return;
    this.rollOut(object);
  }

  /** A new spec: stop the old pods (Recreate), start `replicas` new ones, and later settle. */
  private rollOut(deployment: KubeObject): void {
    this.stopDeployment(deployment);
    const namespace = deployment.metadata.namespace ?? "";
    const name = deployment.metadata.name;
    const replicas = Number(deployment.spec?.replicas ?? 1);
    const template = (deployment.spec?.template ?? {}) as { metadata?: Json; spec?: Json };
    const templateHash = createHash("sha256").update(JSON.stringify(template)).digest("hex").slice(0, 10);
    this.setDeploymentStatus(deployment, 0, "ReplicaSetUpdated");
    this.event(
      deployment,
      "Normal",
      "ScalingReplicaSet",
      `Scaled up replica set ${name}-${templateHash} from 0 to ${replicas}`,
    );

    const containers = ((template.spec?.containers as Array<Json> | undefined) ?? []) as Array<{
      name: string;
      image: string;
      ports?: Array<{ containerPort: number }>;
    }>;
    const pods: KubeObject[] = [];
    for (let index = 0; index < replicas; index += 1) {
      const pod: KubeObject = {
        apiVersion: "v1",
        kind: "Pod",
        metadata: {
          name: `${name}-${templateHash}-${randomBytes(3).toString("hex").slice(0, 5)}`,
          namespace,
          uid: randomUUID(),
          creationTimestamp: new Date().toISOString(),
          labels: {
            ...(template.metadata?.labels as Record<string, string>),
            "pod-template-hash": templateHash,
          },
        },
        spec: { ...clone(template.spec ?? {}), nodeName: "gpu-node-1" },
        status: {
          phase: "Running",
          conditions: [{ type: "Ready", status: "False" }],
          containerStatuses: containers.map((container) => ({
            name: container.name,
            image: container.image,
            imageID: "",
            ready: false,
            started: true,
            restartCount: 0,
            containerID: `containerd://${randomBytes(16).toString("hex")}`,
            state: { running: { startedAt: new Date().toISOString() } },
          })),
        },
      };
      this.store(resourceType("v1", "pods"), pod, "ADDED");
      pods.push(pod);
      this.event(
        pod,
        "Normal",
        "Scheduled",
        `Successfully assigned ${namespace}/${pod.metadata.name} to gpu-node-1`,
      );
      for (const container of containers) {
        this.event(
          pod,
          "Normal",
          "Pulled",
          `Container image "${container.image}" already present on machine`,
        );
        this.event(pod, "Normal", "Started", `Started container ${container.name}`);
        this.appendLog(namespace, pod.metadata.name, `starting ${container.image}`);
      }
    }

    const behavior = this.behaviors.get(name) ?? "ready";
    this.later(deploymentTimerKey(deployment), this.readyDelayMs, () => {
      for (const pod of pods) this.settlePod(pod, containers, behavior);
      if (behavior === "ready") this.setDeploymentStatus(deployment, replicas, "NewReplicaSetAvailable");
    });
  }

  private settlePod(
    pod: KubeObject,
    containers: Array<{ name: string; ports?: Array<{ containerPort: number }> }>,
    behavior: DeploymentBehavior,
  ): void {
    const current = this.objects.get(
      objectKey("v1", "pods", pod.metadata.namespace ?? null, pod.metadata.name),
    );
    if (!current) return;
    const namespace = current.metadata.namespace ?? "";
    const statuses = (current.status?.containerStatuses ?? []) as Json[];
    if (behavior === "ready") {
      current.status = {
        ...current.status,
        conditions: [{ type: "Ready", status: "True" }],
        containerStatuses: statuses.map((status) => ({ ...status, ready: true })),
      };
      for (const container of containers) {
        this.appendLog(
          namespace,
          current.metadata.name,
          `listening on port ${container.ports?.[0]?.containerPort ?? "-"}`,
        );
      }
    } else if (behavior === "never-ready") {
      for (const container of containers) {
        const port = container.ports?.[0]?.containerPort ?? 80;
        this.event(
          current,
          "Warning",
          "Unhealthy",
          `Readiness probe failed: dial tcp 10.244.0.7:${port}: connect: connection refused`,
        );
      }
    } else {
      current.status = {
        ...current.status,
        containerStatuses: statuses.map((status) => ({
          ...status,
          ready: false,
          restartCount: 1,
          state: { waiting: { reason: "CrashLoopBackOff" } },
        })),
      };
      for (const container of containers) {
        this.appendLog(namespace, current.metadata.name, "fatal: CUDA error: no kernel image is available");
        this.event(
          current,
          "Warning",
          "BackOff",
          `Back-off restarting failed container ${container.name} in pod ${current.metadata.name}`,
        );
      }
    }
    this.store(resourceType("v1", "pods"), current, "MODIFIED");
  }

  private setDeploymentStatus(deployment: KubeObject, ready: number, progress: string): void {
    const current = this.objects.get(
      objectKey("apps/v1", "deployments", deployment.metadata.namespace ?? null, deployment.metadata.name),
    );
    if (!current) return;
    const replicas = Number(current.spec?.replicas ?? 1);
    const available = ready >= replicas;
    current.status = {
      observedGeneration: current.metadata.generation,
      replicas,
      updatedReplicas: replicas,
      readyReplicas: ready,
      availableReplicas: ready,
      ...(available ? {} : { unavailableReplicas: replicas - ready }),
      conditions: [
        {
          type: "Available",
          status: available ? "True" : "False",
          reason: available ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
        },
        { type: "Progressing", status: "True", reason: progress },
      ],
    };
    this.store(resourceType("apps/v1", "deployments"), current, "MODIFIED");
  }

  /** A deployment deleted or replaced: its timers stop and its pods go. */
  private stopDeployment(deployment: KubeObject): void {
    const key = deploymentTimerKey(deployment);
    for (const timer of this.timers.get(key) ?? []) clearTimeout(timer);
    this.timers.delete(key);
    const namespace = deployment.metadata.namespace ?? "";
    const selector =
      (deployment.spec?.selector as { matchLabels?: Record<string, string> } | undefined)?.matchLabels ?? {};
    const pods = resourceType("v1", "pods");
    for (const pod of this.matching(pods, namespace, selector)) {
      this.remove(pods, pod);
      this.logs.delete(`${namespace}/${pod.metadata.name}`);
    }
  }

  private later(key: string, delayMs: number, action: () => void): void {
    const timers = this.timers.get(key) ?? new Set<NodeJS.Timeout>();
    const timer = setTimeout(() => {
      timers.delete(timer);
      action();
    }, delayMs);
    timers.add(timer);
    this.timers.set(key, timers);
  }

  private event(involved: KubeObject, type: "Normal" | "Warning", reason: string, message: string): void {
    const namespace = involved.metadata.namespace ?? "default";
    const now = new Date().toISOString();
    const event: KubeObject = {
      apiVersion: "v1",
      kind: "Event",
      metadata: {
        name: `${involved.metadata.name}.${randomBytes(8).toString("hex")}`,
        namespace,
        uid: randomUUID(),
        creationTimestamp: now,
      },
      involvedObject: {
        apiVersion: involved.apiVersion,
        kind: involved.kind,
        name: involved.metadata.name,
        namespace,
        uid: involved.metadata.uid,
      },
      reason,
      message,
      type,
      count: 1,
      firstTimestamp: now,
      lastTimestamp: now,
      source: { component: involved.kind === "Pod" ? "kubelet" : "deployment-controller" },
    };
    this.store(resourceType("v1", "events"), event, "ADDED");
  }

  // --- Logs -----------------------------------------------------------------------------------

  private appendLog(namespace: string, pod: string, text: string): void {
    // Strictly increasing times, as one container's log has.
    const nowNs = BigInt(Date.now()) * 1_000_000n;
    this.lastLogNs = nowNs > this.lastLogNs ? nowNs : this.lastLogNs + 1n;
    const key = `${namespace}/${pod}`;
    this.logs.set(key, [...(this.logs.get(key) ?? []), { timeNs: this.lastLogNs, text }]);
  }

  private sendLog(
    namespace: string,
    podName: string,
    query: Record<string, string>,
    response: ServerResponse,
  ): void {
    const pod = this.get(resourceType("v1", "pods"), namespace, podName);
    const containers = ((pod.spec?.containers ?? []) as Array<{ name: string }>).map(
      (container) => container.name,
    );
    const container = query.container ?? containers[0];
    if (!container || !containers.includes(container)) {
      throw new ApiError(400, "BadRequest", `container ${container} is not valid for pod ${podName}`);
    }
    let entries = this.logs.get(`${namespace}/${podName}`) ?? [];
    if (query.tailLines) entries = entries.slice(-Number(query.tailLines));
    const timestamps = query.timestamps === "true";
    const body = entries
      .map((entry) => `${timestamps ? `${rfc3339Nano(entry.timeNs)} ` : ""}${entry.text}\n`)
      .join("");
    response.writeHead(200, { "content-type": "text/plain" });
    response.end(body);
  }
}

// --- Helpers ----------------------------------------------------------------------------------

function resourceType(groupVersion: string, resource: string): ResourceType {
  const type = RESOURCE_TYPES.find(
    (entry) => entry.groupVersion === groupVersion && entry.resource === resource,
  );
  if (!type)
    throw new ApiError(
      404,
      "NotFound",
      `the server could not find the requested resource (${groupVersion} ${resource})`,
    );
  return type;
}

interface Target {
  type: ResourceType;
  namespace: string | null;
  name: string | null;
  subresource: string | null;
}

/** `<resource>[/<name>]` or `namespaces/<ns>/<resource>[/<name>[/<subresource>]]`. */
function parseTarget(groupVersion: string, segments: string[]): Target {
  const [first = "", second, third, fourth, fifth] = segments;
  if (first === "namespaces" && third !== undefined) {
    const type = resourceType(groupVersion, third);
    if (!type.namespaced) throw new ApiError(404, "NotFound", `${third} is not namespaced`);
    return { type, namespace: second ?? null, name: fourth ?? null, subresource: fifth ?? null };
  }
  const type = resourceType(groupVersion, first);
  if (type.namespaced && second !== undefined) {
    throw new ApiError(404, "NotFound", `${first} is namespaced: use /namespaces/<namespace>/${first}`);
  }
  return { type, namespace: null, name: second ?? null, subresource: null };
}

function discovery(groupVersion: string): Json {
  const resources = RESOURCE_TYPES.filter((type) => type.groupVersion === groupVersion);
  if (resources.length === 0)
    throw new ApiError(404, "NotFound", "the server could not find the requested resource");
  return {
    kind: "APIResourceList",
    apiVersion: "v1",
    groupVersion,
    resources: resources.map((type) => ({
      name: type.resource,
      singularName: type.kind.toLowerCase(),
      namespaced: type.namespaced,
      kind: type.kind,
      verbs: ["create", "delete", "get", "list", "patch", "watch"],
    })),
  };
}

function objectKey(groupVersion: string, resource: string, namespace: string | null, name: string): string {
  return `${groupVersion}/${resource}/${namespace ?? ""}/${name}`;
}

function deploymentTimerKey(deployment: KubeObject): string {
  return `deployment/${deployment.metadata.namespace ?? ""}/${deployment.metadata.name}`;
}

/** Equality-based selectors only ("a=b,c==d"), which is all the runtime sends. */
function parseSelector(text: string | undefined): Record<string, string> {
  const selector: Record<string, string> = {};
  if (!text) return selector;
  for (const term of text.split(",")) {
    const match = /^([^=!]+)==?([^=]*)$/.exec(term.trim());
    if (!match?.[1])
      throw new ApiError(
        400,
        "BadRequest",
        `unsupported label selector term "${term}" (this double supports only key=value)`,
      );
    selector[match[1]] = match[2] ?? "";
  }
  return selector;
}

function matchesSelector(object: KubeObject, selector: Record<string, string>): boolean {
  return Object.entries(selector).every(([key, value]) => object.metadata.labels?.[key] === value);
}

function methodNotAllowed(): ApiError {
  return new ApiError(
    405,
    "MethodNotAllowed",
    "the server does not allow this method on the requested resource",
  );
}

function parseBody(text: string): unknown {
  try {
    return parseYaml(text) as unknown;
  } catch {
    throw new ApiError(400, "BadRequest", "the body is neither JSON nor YAML");
  }
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}

function writeEvent(response: ServerResponse, type: string, object: unknown): void {
  response.write(`${JSON.stringify({ type, object })}\n`);
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

function pick(source: Json, keys: string[]): Json {
  return Object.fromEntries(keys.filter((key) => source[key] !== undefined).map((key) => [key, source[key]]));
}

function rfc3339Nano(timeNs: bigint): string {
  const seconds = new Date(Number(timeNs / 1_000_000_000n) * 1000).toISOString().slice(0, 19);
  return `${seconds}.${(timeNs % 1_000_000_000n).toString().padStart(9, "0")}Z`;
}
