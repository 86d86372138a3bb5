/**
 * Measures checkSdl (parse, Akash validation, manifest, version hash, order drafts) in this
 * process: a typical GPU SDL (the vLLM template) many times, then every SDL of Akash's template
 * gallery. Target: a median of at most 5 ms per SDL.
 *
 *   npx tsx scripts/bench-sdl.ts
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { checkSdl, TEMPLATES } from "@/lib/sdl";

const root = path.resolve(import.meta.dirname, "..");
const FIXTURES_DIR = path.resolve(root, "tests/fixtures/sdl/awesome-akash");
const OPTIONS = { aktPriceMicroUsd: 1_000_000n };

const WARMUP_ITERATIONS = 200;
export const TYPICAL_ITERATIONS = 2000;
export const FIXTURE_PASSES = 20;

export interface SdlBenchResult {
  typical: { medianMs: number; p95Ms: number };
  fixtures: { files: number; totalMs: number; medianMs: number };
}

export async function benchSdl(): Promise<SdlBenchResult> {
  const typicalSdl = TEMPLATES.find((template) => template.slug === "vllm-llama-3-1-8b-instruct")?.sdl;
  if (!typicalSdl) throw new Error("the vLLM template is missing");
  for (let index = 0; index < WARMUP_ITERATIONS; index++) await checkSdl(typicalSdl, OPTIONS);
  const typical: number[] = [];
  for (let index = 0; index < TYPICAL_ITERATIONS; index++)
    typical.push(await timed(() => checkSdl(typicalSdl, OPTIONS)));

  const files = readdirSync(FIXTURES_DIR).filter((file) => /\.ya?ml$/.test(file));
  const texts = files.map((file) => readFileSync(path.join(FIXTURES_DIR, file), "utf8"));
  for (const text of texts) await checkSdl(text, OPTIONS);
  const perFile: number[] = [];
  const passes: number[] = [];
  for (let pass = 0; pass < FIXTURE_PASSES; pass++) {
    let passMs = 0;
    for (const text of texts) {
      const ms = await timed(() => checkSdl(text, OPTIONS));
      perFile.push(ms);
      passMs += ms;
    }
    passes.push(passMs);
  }

  return {
    typical: { medianMs: percentile(typical, 50), p95Ms: percentile(typical, 95) },
    fixtures: { files: files.length, totalMs: percentile(passes, 50), medianMs: percentile(perFile, 50) },
  };
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return round(sorted[Math.max(0, index)] ?? 0);
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const started = performance.now();
  const { typical, fixtures } = await benchSdl();
  console.log(`checkSdl, typical GPU SDL (vLLM template), ${TYPICAL_ITERATIONS} runs:`);
  console.log(`  median ${typical.medianMs} ms, p95 ${typical.p95Ms} ms`);
  console.log(`checkSdl, Akash template gallery (${fixtures.files} files, ${FIXTURE_PASSES} passes):`);
  console.log(`  all files ${fixtures.totalMs} ms (median pass), per file median ${fixtures.medianMs} ms`);
  console.log(`(${Math.round(performance.now() - started)} ms in all)`);
}
