import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/** Akash's public templates and what Akash's reference implementation says about each (see its README). */
export const FIXTURES_DIR = path.resolve(process.cwd(), "tests/fixtures/sdl/awesome-akash");

export type FixtureExpectation =
  | { file: string; valid: true; groups: number; manifestVersion: string }
  | { file: string; valid: false; akashErrors: string[] };

export function fixtureExpectations(): FixtureExpectation[] {
  return JSON.parse(readFileSync(path.join(FIXTURES_DIR, "expected.json"), "utf8")) as FixtureExpectation[];
}

export function fixtureFiles(): string[] {
  return readdirSync(FIXTURES_DIR).filter((file) => /\.ya?ml$/.test(file));
}

export function fixtureText(file: string): string {
  return readFileSync(path.join(FIXTURES_DIR, file), "utf8");
}
