import type { SdlTemplate } from "./sdl-template";

export const comfyuiTemplate: SdlTemplate = {
  slug: "comfyui",
  name: "ComfyUI",
  description:
    "ComfyUI's node editor for Stable Diffusion and FLUX workflows, with ComfyUI-Manager to install models and custom nodes. Open it on the deployment's HTTP address.",
  category: "Image generation",
  gpuSummary: "1× RTX 4090, L40S or A100",
  sdl: `version: "2.0"
services:
  comfyui:
    image: zjuuu/comfyui:0.23
    expose:
      - port: 8080
        as: 80
        to:
          - global: true
    env:
      - "ENABLE_MANAGER=true"
      - "COMMANDLINE_ARGS=--listen 0.0.0.0 --port 8080"
      - "MODELURLS="
      - "VAEURLS="
      - "UPSCALEURLS="
profiles:
  compute:
    comfyui:
      resources:
        cpu:
          units: 6
        memory:
          size: 32Gi
        storage:
          - size: 100Gi
        gpu:
          units: 1
          attributes:
            vendor:
              nvidia:
                - model: rtx4090
                - model: l40s
                - model: a100
  placement:
    dcloud:
      pricing:
        comfyui:
          denom: uact
          amount: 2500 # per block (~6 s): at most $1.50 per hour
deployment:
  comfyui:
    dcloud:
      profile: comfyui
      count: 1
`,
};
