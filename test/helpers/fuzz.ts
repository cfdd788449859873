// Random and mutated inputs for fuzz tests, from a seeded generator so a failure can be replayed:
// FUZZ_SEED=<n> npm test reruns the same cases.
import { mulberry32 } from "../../tools/emulator/machine/random.ts";

/** A number in [0, 1) a call, from mulberry32: small, fast and good enough to pick mutations. */
export function rng(seed: number): () => number {
  const next = mulberry32(seed);
  return () => next() / 4294967296;
}

export function fuzzSeed(): number {
  return process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
}

export function randomBuffer(r: () => number, max: number): Buffer {
  return Buffer.from(Array.from({ length: Math.floor(r() * (max + 1)) }, () => Math.floor(r() * 256)));
}

/** One of: bytes flipped, cut short, grown, spliced, a length byte set high, or pure noise. */
export function mutate(r: () => number, input: Buffer): Buffer {
  const b = Buffer.from(input);
  const at = () => Math.floor(r() * Math.max(1, b.length));
  switch (Math.floor(r() * 7)) {
    case 0:
      for (let i = 0, n = 1 + Math.floor(r() * 4); i < n && b.length > 0; i++) b[at()] = Math.floor(r() * 256);
      return b;
    case 1:
      return b.subarray(0, at());
    case 2:
      return Buffer.concat([b, randomBuffer(r, 64)]);
    case 3: {
      const i = at();
      return Buffer.concat([b.subarray(0, i), randomBuffer(r, 16), b.subarray(i + Math.floor(r() * 8))]);
    }
    case 4:
      if (b.length > 1) b[1] = 0x80 | Math.floor(r() * 128); // a length that claims more bytes follow
      return b;
    case 5:
      return Buffer.concat([b, b.subarray(0, at())]);
    default:
      return randomBuffer(r, 96);
  }
}
