// The emulated board's serial receive path is as strict as a real one: bytes arrive at the UART's
// speed into a 128-byte FIFO and a 256-byte ring, and while flash is written or erased only the
// FIFO takes them. A receiver that writes to flash while the host keeps sending loses bytes on an
// aged filesystem; the same receiver run stop-and-wait loses none.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { replBoard } from "../helpers/test-board.ts";
import { waitFor } from "../helpers/wait.ts";

// Writes each 240-byte block to flash as it comes and acknowledges it with "#A".
const RECEIVER = `f=file.open("rx.bin","w") uart.on("data",240,function(d) f:write(d) print("#A") end,0) print("#R")\n`;

test("a receiver that writes flash while the host keeps sending loses bytes on an aged filesystem, and the counters say how many", async () => {
  const { board: b, text: out } = await replBoard({ board: { flashAged: true } });
  b.input(RECEIVER);
  assert.ok(await waitFor(() => out().includes("#R")), out());
  const data = randomBytes(240 * 100);
  b.input(data);
  assert.ok(await waitFor(() => b.rx.pending === 0, 20000), "the board never took in what was sent");
  const { overflowed, lost } = b.rx;
  assert.ok(overflowed > 0, "no byte overflowed the FIFO, though SPIFFS erased blocks while the host kept sending");
  // Every byte the board took in reached the receiver: whole blocks went to flash, the rest waits for a block to fill.
  const kept = data.length - overflowed - lost;
  const written = readFileSync(join(b.flash.dir, "rx.bin")).length;
  assert.equal(written, Math.floor(kept / 240) * 240, `took in ${kept} bytes, wrote ${written}`);
});

test("the same receiver, sent to stop-and-wait (a block only after the last one's ack), loses nothing", async () => {
  const { board: b, text: out } = await replBoard({ board: { flashAged: true } });
  b.input(RECEIVER);
  assert.ok(await waitFor(() => out().includes("#R")), out());
  const data = randomBytes(240 * 40);
  for (let i = 0; i < 40; i++) {
    const acks = out().split("#A").length;
    b.input(data.subarray(i * 240, (i + 1) * 240));
    assert.ok(await waitFor(() => out().split("#A").length > acks), `no ack for block ${i + 1}`);
  }
  assert.deepEqual({ overflowed: b.rx.overflowed, lost: b.rx.lost }, { overflowed: 0, lost: 0 });
  assert.deepEqual(readFileSync(join(b.flash.dir, "rx.bin")), data);
});

test("on a fresh filesystem SPIFFS does not erase, so the same continuous sending loses nothing", async () => {
  const { board: b, text: out } = await replBoard();
  b.input(RECEIVER);
  assert.ok(await waitFor(() => out().includes("#R")), out());
  const data = randomBytes(240 * 40);
  b.input(data);
  assert.ok(
    await waitFor(() => b.rx.pending === 0 && out().split("#A\r\n").length === 41, 20000),
    "the board never took in what was sent",
  );
  assert.deepEqual({ overflowed: b.rx.overflowed, lost: b.rx.lost }, { overflowed: 0, lost: 0 });
  assert.deepEqual(readFileSync(join(b.flash.dir, "rx.bin")), data);
});

test("input arrives no faster than the UART's speed: at 9600 baud 960 bytes take a second of board time", async () => {
  const { board: b, text: out } = await replBoard({ board: { baud: 9600 } });
  // The board counts what its callback got against its own clock (tmr.now, microseconds).
  b.input(
    `n,t0=0,nil uart.on("data",0,function(d) n=n+1 t0=t0 or tmr.now() if n==960 then print("#T",tmr.now()-t0) end end,0)\n`,
  );
  assert.ok(await waitFor(() => out().endsWith("> ") && out().includes("uart.on")), out());
  b.input(Buffer.alloc(960, 0x41));
  const m = await waitFor(() => /#T\t(\d+)/.test(out()), 10000);
  assert.ok(m, out());
  const us = Number(/#T\t(\d+)/.exec(out())![1]);
  // 959 byte times between the first and the last byte, at 10 bits each.
  assert.ok(us >= 959 * (10 / 9600) * 1e6 * 0.95, `960 bytes reached the callback within ${us} us`);
});

test("power cut during long flash work: the board boots at once and its banner shows", async () => {
  const { board: b, text: out } = await replBoard();
  // file.format erases every sector: tens of seconds of flash work, and its answer waits for it.
  b.input("file.format() print('#F')\n");
  assert.ok(await waitFor(() => out().includes("file.format()")), out());
  const before = out().length;
  b.powerOff();
  b.boot();
  assert.ok(
    await waitFor(() => out().slice(before).includes("NodeMCU 3.0")),
    `no banner after the power cycle: ${JSON.stringify(out().slice(before))}`,
  );
  assert.doesNotMatch(out().slice(before), /#F/, "the format's answer came after the power was cut");
});
