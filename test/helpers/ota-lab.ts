// The board's OTA receiver (firmware/src/ota.ts and the modules it loads) on an emulated board,
// called directly: no broker, no app. The build's files go on the flash without init.lua, so the
// board boots to its prompt, and a test calls require("ota").message(client, payload) with a
// client whose publish records what the board answers. Fast enough for thousands of cases.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Board } from "../../tools/emulator/board.ts";
import { luaLiteral } from "../../tools/lua/vm.ts";
import { RECOMMENDED_BUILD } from "../../tools/nodemcu/builds.ts";
import { buildOnce } from "./firmware.ts";
import { testBoard } from "./test-board.ts";
import { waitUntil } from "./wait.ts";

export interface OtaLab {
  board: Board;
  /** Hands `payload` to the receiver as a message on ota/in: the board's answers, or the error that would have panicked it. */
  send(payload: Buffer | string): { answers: string[]; error?: string };
  /** The names on the board's flash. */
  names(): string[];
  /** Powers the board off and removes its flash. */
  close(): void;
}

const FAKE_CLIENT = `
__lab_out = {}
__lab_client = { publish = function(_, _, payload) __lab_out[#__lab_out + 1] = payload return true end }
`;

/** A board holding the build for `extra` (e.g. {ota: {}}) but for init.lua, booted to its prompt. */
export async function otaLab(extra: object, opts: { randomSeed?: number } = {}): Promise<OtaLab> {
  const build = await buildOnce(extra);
  const lua = readdirSync(build.outDir).filter((f) => f.endsWith(".lua") && f !== "init.lua");
  const files = Object.fromEntries(lua.map((f) => [f, readFileSync(join(build.outDir, f))]));
  const lab = testBoard({ files, modules: [...RECOMMENDED_BUILD, "crypto"], board: opts, forFile: true });
  const board = lab.board;
  await waitUntil("the lab board's prompt", () => lab.text().includes("> "), 10000);
  board.exec(FAKE_CLIENT);
  return {
    board,
    send(payload) {
      const r = board.exec(
        `__lab_out = {} require("ota").message(__lab_client, ${luaLiteral(Buffer.from(payload))}) return table.concat(__lab_out, "\\0")`,
        1,
      );
      if (r === undefined) return { answers: [], error: "the board is resetting" };
      if (!r.ok) return { answers: [], error: r.error };
      const all = r.values[0]?.toString("latin1") ?? "";
      return { answers: all === "" ? [] : all.split("\0") };
    },
    names: () => board.flash.list().map(([n]) => n),
    close: lab.stop,
  };
}
