// Every wait of the host verbs on the broker is bounded, also once CONNACK has arrived: against a
// server that accepts the session and then says nothing more, each verb exits 27 (its timeout)
// instead of waiting for keepalive (about 121 s at the default 60) or, with --keepalive 0, forever.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import mqttPacket from "mqtt-packet";
import { mcuBin } from "../helpers/cli.ts";

const dir = mkdtempSync(join(tmpdir(), "mcu-timeouts-"));
let server: Server;
let broker: string;
const sockets = new Set<Socket>();

before(async () => {
  mcuBin(); // never rebuild dist/ while other test files run the CLI from it
  // CONNACK for every CONNECT, then silence: no SUBACK, PUBACK or PINGRESP, no hang-up, and
  // nothing more read, so a large message fills the socket and never leaves.
  server = createServer((s) => {
    sockets.add(s);
    s.on("error", () => {});
    s.once("data", () => {
      s.write(mqttPacket.generate({ cmd: "connack", returnCode: 0, sessionPresent: false }));
      s.pause();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  broker = `mqtt://127.0.0.1:${(server.address() as { port: number }).port}`;
});
after(() => {
  for (const s of sockets) s.destroy();
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

function mcu(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ["dist/mcu.js", ...args, "--broker", broker], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stderr })));
}

// The harness timeout is the "does not hang" check: every case runs at once and each is bounded
// by at most 10 s (send's and serve's defaults), far below the 121 s the old code waited.
test("timeouts hold once CONNACK has arrived: send, devices, ping and serve exit 27 against a silent broker", {
  timeout: 60_000,
}, async () => {
  const big = join(dir, "50MB.bin");
  writeFileSync(big, "");
  truncateSync(big, 50 * 1024 * 1024);
  const cases: [string[], RegExp][] = [
    // The timeout must also hold when the DISCONNECT cannot be written after it.
    [["send", "--topic", "t", "--timeout", "2", "--file", big], /timed out after 2 s: 1 message\(s\) not acknowledged/],
    [["send", "--topic", "t", "hi"], /timed out after 10 s: 1 message\(s\) not acknowledged by 127\.0\.0\.1:\d+/],
    [["send", "--topic", "t", "--timeout", "3", "hi"], /timed out after 3 s: 1 message\(s\) not acknowledged/],
    [["send", "--topic", "t", "--keepalive", "0", "hi"], /timed out after 10 s: 1 message\(s\) not acknowledged/],
    [
      ["send", "--device", "k", "--wait", "--timeout", "2", "hi"],
      /timed out after 2 s: no SUBACK from 127\.0\.0\.1:\d+/,
    ],
    [["devices"], /timed out after 3 s: no SUBACK from/],
    [["devices", "--timeout", "2"], /timed out after 2 s: no SUBACK from/],
    [["ping", "--device", "k", "--count", "1"], /timed out after 2 s: no SUBACK from/],
    [["serve", "--device", "k", "--timeout", "2"], /timed out after 2 s with 0 messages/],
    [["serve", "--device", "k"], /timed out after 10 s: no SUBACK from/],
  ];
  const runs = await Promise.all(cases.map(([args]) => mcu(args)));
  runs.forEach((r, i) => {
    const [args, message] = cases[i]!;
    assert.equal(r.code, 27, `mcu ${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, message, `mcu ${args.join(" ")}`);
  });
});
