#!/usr/bin/env node
// Runs cli/main.ts in this process through tsx (a devDependency), with the repository's
// tsconfig so "@/..." imports resolve from any working directory.
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

register({ tsconfig: fileURLToPath(new URL("../tsconfig.json", import.meta.url)) });
await import(new URL("../cli/main.ts", import.meta.url).href);
