import type { SdlTemplate } from "./sdl-template";

export const vllmLlama31Template: SdlTemplate = {
  slug: "vllm-llama-3-1-8b-instruct",
  name: "Llama 3.1 8B Instruct on vLLM",
  description:
    "An OpenAI-compatible chat and completions API (port 8000, /v1) serving Meta's Llama 3.1 8B Instruct with vLLM. The model is gated: put a Hugging Face token that has accepted Meta's license in HF_TOKEN.",
  category: "LLM inference",
  gpuSummary: "1× H100, A100 or L40S",
  sdl: `version: "2.0"
services:
  vllm:
    image: vllm/vllm-openai:v0.8.4
    expose:
      - port: 8000
        as: 8000
        to:
          - global: true
    command:
      - bash
      - "-c"
    args:
      - >-
        vllm serve meta-llama/Llama-3.1-8B-Instruct
        --host 0.0.0.0 --port 8000
        --max-model-len 16384
        --gpu-memory-utilization 0.90
    env:
      - "HF_TOKEN=" # a Hugging Face token with access to meta-llama/Llama-3.1-8B-Instruct
    params:
      storage:
        shm:
          mount: /dev/shm
profiles:
  compute:
    vllm:
      resources:
        cpu:
          units: 8
        memory:
          size: 32Gi
        storage:
          - size: 100Gi
          # PyTorch shares tensors between processes through /dev/shm.
          - name: shm
            size: 8Gi
            attributes:
              class: ram
              persistent: false
        gpu:
          units: 1
          attributes:
            vendor:
              nvidia:
                - model: h100
                - model: a100
                - model: l40s
  placement:
    dcloud:
      pricing:
        vllm:
          denom: uact
          amount: 5000 # per block (~6 s): at most $3.00 per hour
deployment:
  vllm:
    dcloud:
      profile: vllm
      count: 1
`,
};
