// rtcmem as app/modules/rtcmem.c does it: signed 32-bit values, reads that stop at the last slot,
// a write past it refused whole; and the integer check (luaL_checkinteger) it shares with the other modules.
import { afterEach, test } from "node:test";
import { type TestBoard, testBoard } from "../helpers/test-board.ts";
import { waitForMatch } from "../helpers/wait.ts";

let board: TestBoard | undefined;
afterEach(() => {
  board?.stop();
  board = undefined;
});

async function repl(line: string, expect: RegExp): Promise<void> {
  board ??= testBoard({ onIp: "" });
  await waitForMatch(board.text, /> $/);
  board.board.input(line + "\r\n");
  await waitForMatch(board.text, expect);
}

test("rtcmem.read32 returns signed 32-bit values", async () => {
  await repl(
    "rtcmem.write32(0, 0xFFFFFFFF, 0x80000000, 7) print(rtcmem.read32(0, 3))",
    /\r\n-1\t-2147483648\t7\r\n> $/,
  );
});

test("rtcmem.read32 returns only the slots that exist, and nothing for n = 0", async () => {
  await repl(
    "rtcmem.write32(126, 1, 2) print(select('#', rtcmem.read32(126, 5)), select('#', rtcmem.read32(0, 0)), select('#', rtcmem.read32(128)))",
    /\r\n2\t0\t0\r\n> $/,
  );
});

test("rtcmem.write32 past the last slot raises 'RTC mem would overrun' and writes nothing", async () => {
  await repl(
    "rtcmem.write32(127, 5) print(pcall(rtcmem.write32, 127, 1, 2)) print(rtcmem.read32(127))",
    /\r\nfalse\tbad argument #1 to 'write32' \(RTC mem would overrun\)\r\n5\r\n> $/,
  );
});

test("rtcmem's slot index truncates toward zero, as luaL_checkinteger's C cast does", async () => {
  // -0.5 is slot 0 on the device (rtcmem.c:9 reads it with luaL_checkinteger); 1.9 is slot 1.
  await repl("rtcmem.write32(-0.5, 11) rtcmem.write32(1.9, 12) print(rtcmem.read32(-0.9, 2.7))", /\r\n11\t12\r\n> $/);
});

test("a bad integer argument names the function, as luaL_argerror does, and a numeric string counts", async () => {
  await repl(
    "print(pcall(rtcmem.read32, 'x')) print(pcall(node.random, {})) print(pcall(wifi.setmode)) print(gpio.read('4') == gpio.read(4))",
    /\r\nfalse\tbad argument #1 to 'read32' \(number expected, got string\)\r\nfalse\tbad argument #1 to 'random' \(number expected, got table\)\r\nfalse\tbad argument #1 to 'setmode' \(number expected, got no value\)\r\ntrue\r\n> $/,
  );
});
