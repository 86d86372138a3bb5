import { keccak256, recoverTypedDataAddress, toBytes } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import {
  HEARTBEAT_TYPES,
  HeartbeatRequestSchema,
  SIGNING_KEY_TYPES,
  SigningKeyRequestSchema,
  VERIFIER_DOMAIN,
  WorkloadReportSchema,
  type WorkloadReport,
} from "@/lib/verify/protocol";
import { acceptedSequenceOf, nextSequence, signHeartbeat, signingKeyProof } from "./heartbeat";

const account = privateKeyToAccount(`0x${"42".repeat(32)}`);
const other = privateKeyToAccount(`0x${"43".repeat(32)}`);

const report: WorkloadReport = {
  status: "running",
  services: [
    { name: "web", ready: true, replicas: 2, readyReplicas: 2, uris: ["http://127.0.0.1:41000"] },
    { name: "worker", ready: false, replicas: 1, readyReplicas: 0, uris: [] },
  ],
  events: [
    {
      at: "2025-05-01T10:00:00.000Z",
      type: "normal",
      reason: "Ready",
      message: "web is ready",
      service: "web",
    },
  ],
  logs: [{ at: "2025-05-01T10:00:01.000Z", service: "web", line: "GET /health 200 — ünïcode" }],
};

describe("signHeartbeat", () => {
  it("signs a heartbeat that recovers to the key's address and hashes the exact report text", async () => {
    const request = await signHeartbeat(account, {
      leaseId: "lease_1",
      sequence: 1_746_093_600_123,
      timeSeconds: 1_746_093_600,
      report,
    });
    expect(HeartbeatRequestSchema.parse(request)).toEqual(request);
    expect(WorkloadReportSchema.parse(JSON.parse(request.report))).toEqual(report);
    expect(request.heartbeat.reportHash).toBe(keccak256(toBytes(request.report)));
    expect(request.heartbeat.servicesReady).toEqual(["web"]);

    const signer = await recoverTypedDataAddress({
      domain: VERIFIER_DOMAIN,
      types: HEARTBEAT_TYPES,
      primaryType: "Heartbeat",
      message: {
        ...request.heartbeat,
        reportHash: request.heartbeat.reportHash as `0x${string}`,
        sequence: BigInt(request.heartbeat.sequence),
        time: BigInt(request.heartbeat.time),
      },
      signature: request.signature as `0x${string}`,
    });
    expect(signer).toBe(account.address);
  });

  it("makes a signature that does not cover a changed report", async () => {
    const request = await signHeartbeat(account, {
      leaseId: "lease_1",
      sequence: 7,
      timeSeconds: 100,
      report,
    });
    const changed = request.report.replace('"running"', '"degraded"');
    const signer = await recoverTypedDataAddress({
      domain: VERIFIER_DOMAIN,
      types: HEARTBEAT_TYPES,
      primaryType: "Heartbeat",
      message: { ...request.heartbeat, reportHash: keccak256(toBytes(changed)), sequence: 7n, time: 100n },
      signature: request.signature as `0x${string}`,
    });
    expect(signer).not.toBe(account.address);
  });
});

describe("signingKeyProof", () => {
  it("proves the key signs the provider's id and its own address", async () => {
    const proof = await signingKeyProof(account, "prov_1");
    expect(SigningKeyRequestSchema.parse(proof)).toEqual(proof);
    expect(proof.address).toBe(account.address);
    const recover = (providerId: string) =>
      recoverTypedDataAddress({
        domain: VERIFIER_DOMAIN,
        types: SIGNING_KEY_TYPES,
        primaryType: "ProviderSigningKey",
        message: { providerId, signer: account.address },
        signature: proof.signature as `0x${string}`,
      });
    expect(await recover("prov_1")).toBe(account.address);
    expect(await recover("prov_2")).not.toBe(account.address);
    expect(other.address).not.toBe(account.address);
  });
});

describe("nextSequence", () => {
  it("follows the millisecond clock and still grows when the clock does not", () => {
    expect(nextSequence(0, 1_000)).toBe(1_000);
    expect(nextSequence(1_000, 1_000)).toBe(1_001);
    expect(nextSequence(5_000, 1_000)).toBe(5_001);
    expect(nextSequence(1_001, 9_000)).toBe(9_000);
  });
});

describe("acceptedSequenceOf", () => {
  it("reads the server's last sequence from its refusal of a sequence not above it", () => {
    const refusal = [{ path: "heartbeat.sequence", message: "must be above 9007199254740000" }];
    expect(acceptedSequenceOf(refusal)).toBe(9_007_199_254_740_000);
    expect(nextSequence(acceptedSequenceOf(refusal)!, 1_000)).toBe(9_007_199_254_740_001);
  });

  it("finds nothing in other refusals", () => {
    expect(acceptedSequenceOf([])).toBeNull();
    expect(acceptedSequenceOf([{ path: "signature", message: "no signing key is registered" }])).toBeNull();
    expect(acceptedSequenceOf([{ path: "heartbeat.sequence", message: "must be at least 1" }])).toBeNull();
    // Beyond what the protocol carries: no number to continue from.
    expect(
      acceptedSequenceOf([{ path: "heartbeat.sequence", message: "must be above 99999999999999999999" }]),
    ).toBeNull();
  });
});
