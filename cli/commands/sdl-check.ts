import { parseArgs } from "node:util";
import { isAppError } from "@/lib/errors";
import { checkSdl, type SdlError } from "@/lib/sdl";
import { aktPriceMicroUsdOf } from "../env";
import { perHour, replicasOf } from "../format";
import { EXIT_FAILED, EXIT_OK, UsageError, type CliIo } from "../io";

export const SDL_CHECK_USAGE = `Usage: bidcloud sdl check <file> [--json]

Validates an Akash SDL offline, as Bidcloud and Akash would, and prints its manifest version.

  --json   print one JSON object: {"valid","groups","manifestVersion","errors":[{"path","line","message"}]}

Environment:
  AKT_PRICE_USD   USD per AKT for prices in uakt (default 1.00)

Exit status: 0 valid, 1 invalid, 2 usage error or unreadable file.`;

export async function sdlCheck(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args);
  if (values.help) {
    io.out(SDL_CHECK_USAGE);
    return EXIT_OK;
  }
  const [file, ...extra] = positionals;
  if (!file) throw new UsageError("sdl check needs a file", SDL_CHECK_USAGE);
  if (extra.length > 0) throw new UsageError(`unexpected argument: ${extra[0]}`, SDL_CHECK_USAGE);

  const aktPriceMicroUsd = aktPriceFrom(io);
  const text = await readSdl(file, io, SDL_CHECK_USAGE);
  const result = await checkSdl(text, { aktPriceMicroUsd });

  if (values.json) {
    io.out(
      JSON.stringify({
        valid: result.valid,
        groups: result.valid ? result.groups.length : 0,
        manifestVersion: result.valid ? result.manifestVersion : null,
        errors: result.valid ? [] : result.errors,
      }),
    );
    return result.valid ? EXIT_OK : EXIT_FAILED;
  }

  if (!result.valid) {
    const count = result.errors.length;
    io.out(`✗ ${file} is not a valid SDL (${count} ${count === 1 ? "error" : "errors"})`);
    for (const error of result.errors) io.out(errorLine(file, error));
    return EXIT_FAILED;
  }
  io.out(`✓ ${file} is a valid SDL`);
  io.out(`  manifest version  ${result.manifestVersion}`);
  io.out(`  groups            ${result.groups.length}`);
  for (const group of result.groups) {
    const { requirement } = group;
    io.out(`  · ${group.name}: ${replicasOf(requirement.count, requirement.resources)}`);
    for (const unit of requirement.additionalUnits)
      io.out(`      and ${replicasOf(unit.count, unit.resources)}`);
    io.out(`      at most ${perHour(group.maxPricePerHour)}`);
  }
  for (const service of result.services) {
    const ports = service.expose.map((port) => `${port.port}${port.global ? " (public)" : ""}`).join(", ");
    io.out(`  service ${service.name}: ${service.image}${ports ? `, ports ${ports}` : ""}`);
  }
  return EXIT_OK;
}

export function errorLine(file: string, error: SdlError): string {
  return `${file}:${error.line}  ${error.path}  ${error.message}`;
}

function parseCommandArgs(args: string[]) {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: { json: { type: "boolean" }, help: { type: "boolean", short: "h" } },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error), SDL_CHECK_USAGE);
  }
}

function aktPriceFrom(io: CliIo): bigint {
  try {
    return aktPriceMicroUsdOf(io.env);
  } catch (error) {
    if (isAppError(error)) throw new UsageError(error.message, SDL_CHECK_USAGE);
    throw error;
  }
}

export async function readSdl(file: string, io: CliIo, usage: string): Promise<string> {
  try {
    return await io.readText(file);
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
    throw new UsageError(`cannot read ${file} (${reason})`, usage);
  }
}
