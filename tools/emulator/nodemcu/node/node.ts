// node's host half (node.lua): heap, chip id, boot reason, restart, node.task.post and
// node.input, deep sleep and the watchdog, on the board.
import { randomBytes } from "node:crypto";
import { mulberry32 } from "../../machine/random.ts";
import { BOOT, type BootReason, type HostFactory, type HostModule, type LuaCall } from "../../runtime/host-half.ts";

/** node.dsleep(0) sleeps until the reset pin: the longest timer Node has (about 24.8 days). */
const NEVER_MS = 2 ** 31 - 1;

/** What node's calls reach on the board. */
export interface NodeBoard {
  readonly chipId: number;
  /** Free heap as node.heap() reports it. */
  heap(): number;
  /** node.bootreason(): rawcode and reason. */
  bootReason(): BootReason;
  /** A software restart, once the running Lua returns. */
  restart(): void;
  /** Bytes as if typed on the console. */
  input(bytes: Buffer): void;
  /** system_deep_sleep: quiet once the running Lua returns, then a reset after `us` (0: never). */
  deepSleep(us: number): void;
  /** A busy loop until the watchdog resets the board (node.setpartitiontable's `while(1)`). */
  hang(): void;
  /** os_random(): 32 random bits from the chip's hardware generator. */
  random(): number;
}

function calls(board: NodeBoard, call: LuaCall): HostModule {
  return {
    heap: () => board.heap(),
    chipid: () => board.chipId,
    bootreason: () => [...board.bootReason()],
    restart: () => void board.restart(),
    /** node.task.post: one turn behind what is already queued; Lua picks the task. */
    post: () => void call("__E.task()"),
    input: (a) => void board.input(a.bytes(0)),
    dsleep: (a) => void board.deepSleep(a.number(0)),
    hang: () => void board.hang(),
    random: () => board.random(),
  };
}

/** 32 random bits a call: the host's CSPRNG, or a seeded generator (mulberry32). */
function randomSource(seed: number | undefined): () => number {
  return seed === undefined ? () => randomBytes(4).readUInt32LE(0) : mulberry32(seed);
}

export const nodeHost: HostFactory = (board) => {
  const node: NodeBoard = {
    chipId: board.chipId,
    heap: () => board.heap.free(),
    bootReason: () => board.bootReason(),
    restart: () => board.restart(BOOT.software),
    input: (bytes) => board.console.input(bytes),
    deepSleep: (us) => board.restart(BOOT.deepSleep, us === 0 ? NEVER_MS : us / 1000),
    hang: () => board.restart(BOOT.softWdt, board.watchdogMs),
    random: randomSource(board.options.randomSeed),
  };
  return { calls: calls(node, board.call) };
};
