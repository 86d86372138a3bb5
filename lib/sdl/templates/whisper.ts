import type { SdlTemplate } from "./sdl-template";

export const whisperTemplate: SdlTemplate = {
  slug: "whisper-asr",
  name: "Whisper speech-to-text",
  description:
    "OpenAI Whisper large-v3 behind an HTTP API (POST /asr; interactive docs at /docs) using faster-whisper: transcription and translation of audio and video files.",
  category: "Speech",
  gpuSummary: "1× RTX 4090, L40S or A100",
  sdl: `version: "2.0"
services:
  whisper:
    image: onerahmet/openai-whisper-asr-webservice:latest-gpu
    expose:
      - port: 9000
        as: 80
        to:
          - global: true
    env:
      - ASR_MODEL=large-v3
      - ASR_ENGINE=faster_whisper
profiles:
  compute:
    whisper:
      resources:
        cpu:
          units: 4
        memory:
          size: 16Gi
        storage:
          - size: 40Gi
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
        whisper:
          denom: uact
          amount: 1500 # per block (~6 s): at most $0.90 per hour
deployment:
  whisper:
    dcloud:
      profile: whisper
      count: 1
`,
};
