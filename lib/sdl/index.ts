export { checkSdl } from "./check-sdl";
export { toOrderDrafts, type GroupSpecInput, type ToOrdersOptions, type ToOrdersResult } from "./to-orders";
export { unitSourcesByGroup, type UnitSource } from "./unit-sources";
export { AKASH_USDC_IBC_DENOM, BLOCK_TIME_SECONDS, BLOCKS_PER_HOUR } from "./pricing";
export { MAX_PLACEMENT_GROUPS, MAX_SDL_BYTES, MAX_UNITS_PER_GROUP } from "./limits";
export { TEMPLATES, type SdlTemplate, type SdlTemplateCategory } from "./templates";
export type {
  DeploymentGroupDraft,
  ExposedPort,
  SdlCheckResult,
  SdlError,
  SdlOptions,
  ServiceSummary,
} from "./types";
