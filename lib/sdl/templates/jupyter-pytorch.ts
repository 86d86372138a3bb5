import type { SdlTemplate } from "./sdl-template";

export const jupyterPytorchTemplate: SdlTemplate = {
  slug: "jupyter-pytorch",
  name: "JupyterLab with PyTorch",
  description:
    "JupyterLab from the Jupyter Docker Stacks with CUDA-enabled PyTorch. The login token is printed in the service logs. Files in /home/jovyan live as long as the lease.",
  category: "Notebook",
  gpuSummary: "1× H100, A100, L40S or RTX 4090",
  sdl: `version: "2.0"
services:
  jupyter:
    image: quay.io/jupyter/pytorch-notebook:cuda12-latest
    expose:
      - port: 8888
        as: 80
        to:
          - global: true
    env:
      - JUPYTER_ENABLE_LAB=yes
    params:
      storage:
        shm:
          mount: /dev/shm
profiles:
  compute:
    jupyter:
      resources:
        cpu:
          units: 8
        memory:
          size: 32Gi
        storage:
          - size: 100Gi
          # DataLoader workers share batches through /dev/shm.
          - name: shm
            size: 4Gi
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
                - model: rtx4090
  placement:
    dcloud:
      pricing:
        jupyter:
          denom: uact
          amount: 5000 # per block (~6 s): at most $3.00 per hour
deployment:
  jupyter:
    dcloud:
      profile: jupyter
      count: 1
`,
};
