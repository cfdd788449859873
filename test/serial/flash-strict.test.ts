// ./flash.sh and mcu upload against a board as strict as a real one: its UART input paced at
// 115200 baud through the 128-byte FIFO and 256-byte ring, and an aged filesystem whose SPIFFS
// erases blocks as it writes, holding off the UART interrupt. Under typical and worst-case flash
// timings, every file arrives byte for byte and the board loses no serial byte.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { FlashProfile } from "../../tools/emulator/machine/flash-timing.ts";
import { flashSh, mcu, mcuBin } from "../helpers/cli.ts";
import { writeConfig } from "../helpers/firmware.ts";
import { type PtyBoard, ptyBoard } from "../helpers/pty-board.ts";
import { waitFor } from "../helpers/wait.ts";

const dir = mkdtempSync(join(tmpdir(), "mcu-strict-"));
before(() => void mcuBin());
after(() => rmSync(dir, { recursive: true, force: true }));

/** A strict board with an aged filesystem, at its prompt, for the length of `fn`. */
async function onAgedBoard(flashTiming: FlashProfile, fn: (pb: PtyBoard) => Promise<void>): Promise<void> {
  const pb = ptyBoard({ flashAged: true, flashTiming });
  try {
    assert.ok(await waitFor(() => /> $/.test(pb.text())), "the board never prompted");
    await fn(pb);
    assert.deepEqual(
      { overflowed: pb.board.rx.overflowed, lost: pb.board.rx.lost },
      { overflowed: 0, lost: 0 },
      "the board lost serial input",
    );
  } finally {
    pb.close();
  }
}

for (const timing of ["typical", "worst"] as const) {
  test(`${timing} flash timing, aged filesystem: ./flash.sh puts the build on the board byte for byte`, async () => {
    await onAgedBoard(timing, async (pb) => {
      const out = join(dir, `build-${timing}`);
      const cfg = writeConfig({
        id: `strict-${timing}`,
        wifi: { ssid: "emulated", password: "nodemcu-emulator" },
        mqtt: { host: "127.0.0.1", port: 1 },
      });
      const r = await flashSh(["--out", out, "--no-monitor", "--port", pb.link, "--config", cfg]);
      assert.equal(r.code, 0, r.stderr);
      // The board's files: not the manifest, nor the error maps, which stay on the PC.
      for (const name of readdirSync(out).filter((n) => n.endsWith(".lua"))) {
        assert.deepEqual(
          readFileSync(join(pb.flashDir, name)),
          readFileSync(join(out, name)),
          `${name} differs on the board`,
        );
      }
    });
  });

  test(`${timing} flash timing, aged filesystem: mcu upload of 32 KB arrives byte for byte`, async () => {
    await onAgedBoard(timing, async (pb) => {
      const data = randomBytes(32 * 1024);
      const local = join(dir, `big-${timing}.bin`);
      writeFileSync(local, data);
      const r = await mcu(["upload", "--port", pb.link, local]);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(readFileSync(join(pb.flashDir, `big-${timing}.bin`)), data);
    });
  });
}
