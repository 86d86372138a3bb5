import { agent, AGENT_USAGE } from "./commands/agent";
import { deploy, DEPLOY_USAGE } from "./commands/deploy";
import { sdlCheck, SDL_CHECK_USAGE } from "./commands/sdl-check";
import { EXIT_OK, EXIT_USAGE, UsageError, type CliIo } from "./io";

export const USAGE = `Usage: bidcloud <command>

Commands:
  sdl check <file> [--json]          validate an Akash SDL offline and print its manifest version
  deploy <file> [--auto-accept]      create a deployment from an SDL (needs BIDCLOUD_API_KEY)
  agent --config <file>              run the provider agent: bid, run won leases, report heartbeats
  help                               show this help

Run "bidcloud <command> --help" for a command's options.`;

/** Runs one command line (without "node bidcloud") and returns the exit status. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await dispatch([...argv], io);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`error: ${error.message}`);
    if (error.usage) io.err(`\n${error.usage}`);
    return EXIT_USAGE;
  }
}

async function dispatch(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "help":
    case "--help":
    case "-h":
      io.out(helpFor(rest));
      return EXIT_OK;
    case "sdl": {
      const [subcommand, ...args] = rest;
      if (subcommand === "check") return sdlCheck(args, io);
      throw new UsageError(
        subcommand ? `unknown command: sdl ${subcommand}` : "sdl needs a command: check",
        USAGE,
      );
    }
    case "deploy":
      return deploy(rest, io);
    case "agent":
      return agent(rest, io);
    case undefined:
      throw new UsageError("no command given", USAGE);
    default:
      throw new UsageError(`unknown command: ${command}`, USAGE);
  }
}

function helpFor(topic: string[]): string {
  if (topic[0] === "deploy") return DEPLOY_USAGE;
  if (topic[0] === "agent") return AGENT_USAGE;
  if (topic[0] === "sdl") return SDL_CHECK_USAGE;
  return USAGE;
}
