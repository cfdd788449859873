// node's host half (lua/node.lua): heap, chip id, boot reason, restart, node.task.post and
// node.input, deep sleep and the watchdog, on the board.
import type { HostModule, LuaCall } from "../../runtime/runtime.ts";

/** What node's calls reach on the board. */
export interface NodeBoard {
  readonly chipId: number;
  /** Free heap as node.heap() reports it. */
  heap(): number;
  /** node.bootreason(): rawcode and reason. */
  bootReason(): [number, number];
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

export function nodeHost(board: NodeBoard, call: LuaCall): HostModule {
  return {
    heap: () => board.heap(),
    chipid: () => board.chipId,
    bootreason: () => board.bootReason(),
    restart: () => void board.restart(),
    /** node.task.post: one turn behind what is already queued; Lua picks the task. */
    post: () => void call("__E.task()"),
    input: (a) => void board.input(a.bytes(0)),
    dsleep: (a) => void board.deepSleep(a.number(0)),
    hang: () => void board.hang(),
    random: () => board.random(),
  };
}
