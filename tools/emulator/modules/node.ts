// node's host half (lua/node.lua): heap, chip id, boot reason, restart, node.task.post and
// node.input, on the board.
import type { HostModule, LuaCall } from "../runtime.ts";

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
}

export function nodeHost(board: NodeBoard, call: LuaCall): HostModule {
  return {
    heap: () => board.heap(),
    chipid: () => board.chipId,
    bootreason: () => board.bootReason(),
    restart: () => void board.restart(),
    /** node.task.post: the task runs behind what is already queued. */
    post: (a) => void call(`__E.task(${a.number(0)}, ${a.number(1)})`),
    input: (a) => void board.input(a.bytes(0)),
  };
}
