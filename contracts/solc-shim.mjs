#!/usr/bin/env node
// Lets forge drive solc-js as if it were a native `solc`: forge cannot download compilers
// here, and the npm package is the one solc build the project pins. Supports the two calls
// forge makes: `--version` and `--standard-json` (input on stdin, output on stdout).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);
const solc = require("solc");

const args = process.argv.slice(2);

function optionValues(name) {
  const values = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === name && i + 1 < args.length) values.push(args[i + 1]);
    else if (args[i].startsWith(`${name}=`)) values.push(args[i].slice(name.length + 1));
  }
  return values;
}

/** Output must be flushed before exiting, or long JSON is cut off at the pipe's buffer size. */
function finish(text, code = 0) {
  process.stdout.write(text, () => process.exit(code));
}

if (args.includes("--version")) {
  // Native solc's format; forge reads the version from the last line.
  finish(`solc, the solidity compiler commandline interface\nVersion: ${solc.version()}\n`);
} else if (args.includes("--standard-json")) {
  const roots = [...optionValues("--base-path"), ...optionValues("--include-path"), process.cwd()];
  const readImport = (sourceUnitName) => {
    for (const root of roots) {
      try {
        return { contents: readFileSync(path.resolve(root, sourceUnitName), "utf8") };
      } catch {
        // try the next root
      }
    }
    return { error: `File not found: ${sourceUnitName}` };
  };
  const input = readFileSync(0, "utf8");
  finish(solc.compile(input, { import: readImport }));
} else {
  process.stderr.write(`solc-shim: unsupported arguments: ${args.join(" ")}\n`);
  process.exit(2);
}
