// Many boards in one process, sharing one WebAssembly Lua, for load tests.
import { Board, type BoardOptions } from "../board.ts";

/** Chip ids of a fleet: distinct, and shaped like real ones (24 bits). */
export function fleetChipId(index: number): number {
  return 0x100000 + index;
}

/** Boards numbered 0..n-1 with distinct chip ids, all reading the same flash folder. */
export function createFleet(n: number, opts: BoardOptions): Board[] {
  return Array.from(
    { length: n },
    (_, i) => new Board({ ...opts, chipId: fleetChipId(i), ip: `10.42.${i >> 8}.${(i & 255) + 1}` }),
  );
}
