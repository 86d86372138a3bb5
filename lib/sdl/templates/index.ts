import { comfyuiTemplate } from "./comfyui";
import { jupyterPytorchTemplate } from "./jupyter-pytorch";
import { ollamaTemplate } from "./ollama";
import type { SdlTemplate } from "./sdl-template";
import { vllmLlama31Template } from "./vllm-llama-3-1-8b";
import { whisperTemplate } from "./whisper";

export type { SdlTemplate, SdlTemplateCategory } from "./sdl-template";

/**
 * Ready-to-deploy SDLs. The text lives in TypeScript rather than .yaml files so that bundled code
 * (Next) needs no file system. Each one passes checkSdl (see templates.test.ts) and names no
 * auditor (no signedBy), so any provider with a matching GPU can bid.
 */
export const TEMPLATES: readonly SdlTemplate[] = [
  vllmLlama31Template,
  ollamaTemplate,
  comfyuiTemplate,
  jupyterPytorchTemplate,
  whisperTemplate,
];
