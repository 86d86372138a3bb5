import { env } from "@/lib/env";

/**
 * Fault injection for the crash tests: when FAULT_POINT names this point, the process kills
 * itself on the spot (SIGKILL: no cleanup, no flushing), as a power cut or OOM kill would.
 * Unset in every real deployment.
 */
export function faultPoint(name: string): void {
  if (env().FAULT_POINT === name) process.kill(process.pid, "SIGKILL");
}
