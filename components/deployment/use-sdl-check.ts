"use client";

import { useEffect, useState } from "react";
import { formatBytes } from "@/lib/money";
import { MAX_SDL_BYTES } from "@/lib/sdl/limits";
import type { SdlProblem } from "./post-deployment-result";

/** One order the SDL would open, as POST /api/v1/sdl/check describes it (wire form). */
export interface CheckedOrder {
  groupName: string;
  resources: {
    gpu: {
      units: number;
      vendor: string;
      model: string | null;
      memoryGiB: number | null;
      choices: { model: string; memoryGiB: number | null; interface: string | null }[];
    };
    cpuMillicores: number;
    memoryBytes: number;
    storageBytes: number;
  };
  count: number;
  additionalUnits: { resources: CheckedOrder["resources"]; count: number }[];
  /** "3.000000" */
  maxPricePerHour: string;
}

export interface SdlVerdict {
  valid: boolean;
  groups: number;
  manifestVersion: string | null;
  errors: SdlProblem[];
  orders: CheckedOrder[];
}

export type SdlCheckState =
  | { status: "empty" }
  | { status: "too-large"; bytes: number }
  /** `last` is the previous verdict, kept on screen while the new one is on its way. */
  | { status: "checking"; last: SdlVerdict | null }
  | { status: "checked"; verdict: SdlVerdict }
  | { status: "failed"; message: string; last: SdlVerdict | null };

export const CHECK_DELAY_MS = 300;

/** UTF-8 size without encoding a short text: a UTF-16 unit never takes more than 3 bytes. */
export function utf8Bytes(text: string): number {
  if (text.length * 3 <= MAX_SDL_BYTES) return new Blob([text]).size;
  return new TextEncoder().encode(text).length;
}

function lastVerdict(state: SdlCheckState): SdlVerdict | null {
  if (state.status === "checked") return state.verdict;
  if (state.status === "checking" || state.status === "failed") return state.last;
  return null;
}

/**
 * Checks the SDL as it is typed: POST /api/v1/sdl/check once typing pauses for CHECK_DELAY_MS,
 * aborting the request for an older text, so the verdict shown is always for the latest one.
 * Over MAX_SDL_BYTES nothing is sent; the server would refuse it.
 */
export function useSdlCheck(sdl: string): { state: SdlCheckState; stale: boolean } {
  const [state, setState] = useState<SdlCheckState>({ status: "empty" });
  const [checkedText, setCheckedText] = useState("");

  useEffect(() => {
    const controller = new AbortController();
    const timer = setTimeout(() => {
      if (sdl.trim() === "") {
        setState({ status: "empty" });
        setCheckedText(sdl);
        return;
      }
      const bytes = utf8Bytes(sdl);
      if (bytes > MAX_SDL_BYTES) {
        setState({ status: "too-large", bytes });
        setCheckedText(sdl);
        return;
      }
      setState((previous) => ({ status: "checking", last: lastVerdict(previous) }));
      void check(sdl, controller.signal).then((outcome) => {
        if (controller.signal.aborted) return;
        setCheckedText(sdl);
        setState((previous) =>
          outcome.ok
            ? { status: "checked", verdict: outcome.verdict }
            : { status: "failed", message: outcome.message, last: lastVerdict(previous) },
        );
      });
    }, CHECK_DELAY_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [sdl]);

  /** The verdict on screen is for an older text: typing has not paused yet, or the check is on its way. */
  return { state, stale: checkedText !== sdl };
}

async function check(
  sdl: string,
  signal: AbortSignal,
): Promise<{ ok: true; verdict: SdlVerdict } | { ok: false; message: string }> {
  try {
    const response = await fetch("/api/v1/sdl/check", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ sdl }),
      signal,
      cache: "no-store",
    });
    if (response.ok) return { ok: true, verdict: (await response.json()) as SdlVerdict };
    if (response.status === 401)
      return { ok: false, message: "Your session has ended; sign in again to check." };
    if (response.status === 413)
      return {
        ok: false,
        message: `The SDL is too large to check (${formatBytes(BigInt(MAX_SDL_BYTES))} at most).`,
      };
    if (response.status === 429)
      return { ok: false, message: "Checking paused for a moment (too many requests)." };
    return {
      ok: false,
      message: "The SDL could not be checked just now; it is checked again when you post.",
    };
  } catch {
    if (signal.aborted) return { ok: false, message: "" };
    return { ok: false, message: "Could not reach Bidcloud to check the SDL." };
  }
}
