export type SdlTemplateCategory = "LLM inference" | "Image generation" | "Notebook" | "Speech";

export interface SdlTemplate {
  slug: string;
  name: string;
  description: string;
  category: SdlTemplateCategory;
  /** The GPUs it asks for, for people: "1× H100, A100 or L40S". */
  gpuSummary: string;
  sdl: string;
}
