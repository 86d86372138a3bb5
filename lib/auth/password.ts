import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from "node:crypto";

const KEY_LENGTH_BYTES = 32;
const SALT_LENGTH_BYTES = 16;
const BLOCK_SIZE = 8;
const PARALLELISM = 1;

/**
 * At most this many hashes run at once (each takes ~128 MB and a core for a fraction of a
 * second); the rest wait their turn, so a burst of sign-in attempts cannot exhaust memory.
 */
const MAX_CONCURRENT_HASHES = 2;
let running = 0;
const waiting: (() => void)[] = [];

async function withHashSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_CONCURRENT_HASHES) await new Promise<void>((resolve) => waiting.push(resolve));
  running += 1;
  try {
    return await work();
  } finally {
    running -= 1;
    waiting.shift()?.();
  }
}

function scrypt(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return withHashSlot(
    () =>
      new Promise((resolve, reject) => {
        scryptCallback(password.normalize("NFKC"), salt, KEY_LENGTH_BYTES, options, (error, key) =>
          error ? reject(error) : resolve(key),
        );
      }),
  );
}

function memoryFor(cost: number, blockSize: number): number {
  // scrypt needs 128 * N * r bytes; leave headroom so Node does not refuse.
  return 256 * cost * blockSize;
}

/** Format: scrypt$<log2 N>$<r>$<p>$<salt b64>$<key b64>, so the cost can rise without breaking old hashes. */
export async function hashPassword(password: string, logCost: number): Promise<string> {
  const salt = randomBytes(SALT_LENGTH_BYTES);
  const cost = 2 ** logCost;
  const key = await scrypt(password, salt, {
    N: cost,
    r: BLOCK_SIZE,
    p: PARALLELISM,
    maxmem: memoryFor(cost, BLOCK_SIZE),
  });
  return ["scrypt", logCost, BLOCK_SIZE, PARALLELISM, salt.toString("base64"), key.toString("base64")].join(
    "$",
  );
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, logCostText, blockText, parallelText, saltText, keyText] = stored.split("$");
  if (scheme !== "scrypt" || !logCostText || !blockText || !parallelText || !saltText || !keyText)
    return false;
  const cost = 2 ** Number(logCostText);
  const expected = Buffer.from(keyText, "base64");
  const blockSize = Number(blockText);
  const actual = await scrypt(password, Buffer.from(saltText, "base64"), {
    N: cost,
    r: blockSize,
    p: Number(parallelText),
    maxmem: memoryFor(cost, blockSize),
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A hash to verify against when the account does not exist, so timing does not reveal which emails exist. */
let decoyHash: Promise<string> | undefined;
export function decoyPasswordHash(logCost: number): Promise<string> {
  decoyHash ??= hashPassword(randomBytes(16).toString("hex"), logCost);
  return decoyHash;
}
