// An emulated board whose init.lua is the test's own Lua: it joins the emulated Wi-Fi and then
// runs `onIp` (a Lua chunk) once it has an address.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Board, type BoardOptions } from "../../tools/emulator/board.ts";

export interface ScriptBoard {
  board: Board;
  /** Everything the board printed so far. */
  out: () => string;
  /** Lines the board printed, without the banner's noise. */
  lines: () => string[];
  stop: () => void;
}

export function scriptBoard(onIp: string, opts: Partial<BoardOptions> = {}): ScriptBoard {
  const flashDir = mkdtempSync(join(tmpdir(), "mcu-flash-"));
  writeFileSync(
    join(flashDir, "init.lua"),
    `wifi.setmode(wifi.STATION) wifi.sta.config({ ssid = "emulated", pwd = "nodemcu-emulator", got_ip_cb = function()\n${onIp}\nend })\n`,
  );
  const board = new Board({ flashDir, ...opts });
  let out = "";
  board.on("output", (d: Buffer) => (out += d.toString("latin1")));
  board.boot();
  return {
    board,
    out: () => out,
    lines: () => out.split("\r\n"),
    stop: () => {
      board.powerOff();
      rmSync(flashDir, { recursive: true, force: true });
    },
  };
}
