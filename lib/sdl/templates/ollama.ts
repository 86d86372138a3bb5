import type { SdlTemplate } from "./sdl-template";

export const ollamaTemplate: SdlTemplate = {
  slug: "ollama",
  name: "Ollama",
  description:
    "Ollama's API on port 11434 with Llama 3.1 8B pulled at start. Pull other models with POST /api/pull, or change the model in the start command.",
  category: "LLM inference",
  gpuSummary: "1× RTX 4090, L40S or A100",
  sdl: `version: "2.0"
services:
  ollama:
    image: ollama/ollama:latest
    expose:
      - port: 11434
        as: 11434
        to:
          - global: true
    env:
      - OLLAMA_HOST=0.0.0.0:11434
      - OLLAMA_KEEP_ALIVE=24h
    command:
      - bash
      - "-c"
    args:
      - |
        /bin/ollama serve &
        until /bin/ollama ps >/dev/null 2>&1; do sleep 1; done
        /bin/ollama pull llama3.1:8b
        wait
profiles:
  compute:
    ollama:
      resources:
        cpu:
          units: 4
        memory:
          size: 16Gi
        storage:
          - size: 60Gi
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
        ollama:
          denom: uact
          amount: 2000 # per block (~6 s): at most $1.20 per hour
deployment:
  ollama:
    dcloud:
      profile: ollama
      count: 1
`,
};
