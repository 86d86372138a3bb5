import type { Manifest } from "@akashnetwork/chain-sdk/web";
import type { OrderRequirement } from "@/lib/market/types";

/** One problem in an SDL: the dotted field path ("profiles.compute.vllm.resources.cpu.units"), its 1-based line. */
export interface SdlError {
  path: string;
  line: number;
  message: string;
}

export interface SdlOptions {
  /** Micro-USD per 1 AKT (1,000,000 uakt); prices in uakt are converted with it. */
  aktPriceMicroUsd: bigint;
}

/** One SDL placement group as an order of the market. */
export interface DeploymentGroupDraft {
  name: string;
  requirement: OrderRequirement;
  /** Micro-USD per hour for the whole group: every unit, every replica. */
  maxPricePerHour: bigint;
  /** The SDL's own price of each unit (the requirement's first unit, then its additional units), per block per replica. */
  pricing: Array<{ denom: string; amountPerBlock: string }>;
}

export interface ExposedPort {
  port: number;
  /** The port it is reachable on from outside (0: the same as `port`, or chosen by the provider). */
  externalPort: number;
  proto: string;
  /** Reachable from the internet, not only by the deployment's other services. */
  global: boolean;
}

export interface ServiceSummary {
  name: string;
  image: string;
  /** The placement group (SDL placement name) that runs it. */
  group: string;
  count: number;
  expose: ExposedPort[];
}

export type SdlCheckResult =
  | {
      valid: true;
      /** Akash's manifest (what is sent to the provider). */
      manifest: Manifest;
      /** Its canonical JSON, the input of the version hash. */
      manifestJson: string;
      /** Lowercase hex sha256 of manifestJson: the version that goes on chain. */
      manifestVersion: string;
      groups: DeploymentGroupDraft[];
      services: ServiceSummary[];
    }
  | { valid: false; errors: SdlError[] };

/** A problem located by path segments; lines are attached once the YAML document is at hand. */
export interface FieldIssue {
  at: string[];
  message: string;
}
