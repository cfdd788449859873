// `npm run demo` as a newcomer runs it: no board, no services; and with --broker on a real
// Mosquitto; and Ctrl-C stopping it cleanly part way.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { test } from "node:test";
import { startMosquitto } from "../helpers/broker.ts";
import { mcuBin } from "../helpers/cli.ts";
import { waitFor } from "../helpers/wait.ts";

/** `npm run demo -- args`, or the CLI itself when the exit status must be the demo's own (npm reports a signal as its own death). */
function demo(args: string[] = [], viaNpm = true) {
  const [cmd, argv] = viaNpm
    ? ["npm", ["run", "--silent", "demo", "--", ...args]]
    : [process.execPath, [mcuBin(), "demo", ...args]];
  const child = spawn(cmd, argv, {
    env: { ...process.env, CI: "true" },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, so a Ctrl-C can reach npm and the demo together, as a terminal's does.
    detached: true,
  });
  const out = { stdout: "", stderr: "" };
  child.stdout.on("data", (d: Buffer) => (out.stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (out.stderr += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return { child, out, exit };
}

/** Every step the demo promises, in order. */
function assertWholeLoop(stdout: string): void {
  const steps = [
    /== broker/,
    /== build\n[\s\S]*build: \d+ files/,
    /== board\nemulated NodeMCU board/,
    /its NodeMCU build: the README's recommended modules \(file,gpio,mqtt,net,node,rtcmem,sjson,tmr,uart,wifi\), SSL false, float numbers\n/,
    /flash: \S+: NodeMCU modules file,gpio,mqtt,net,node,rtcmem,sjson,tmr,uart,wifi; SSL false; float build/,
    /flash: uploaded \d+ file\(s\)/,
    /board │ NodeMCU 3\.0\.0\.0/,
    /board │ (> )?app: demo joining [^\n]*, broker 127\.0\.0\.1:\d+, messages up to \d+ bytes\n/,
    /board │ mqtt: connected\n/,
    /demo: the board is online/,
    /echo from demo in [\d.]+ ms: hello #1 from the PC/,
    /5 sent, 5 received, 0 lost/,
    /3\/3 messages echoed/,
  ];
  let rest = stdout;
  for (const re of steps) {
    const m = re.exec(rest);
    assert.ok(m, `missing or out of order: ${re}\n--- output ---\n${stdout}`);
    rest = rest.slice(m.index + m[0].length);
  }
}

test("npm run demo: flash, boot, online and echoes on the embedded broker, exit 0", async () => {
  mcuBin();
  const d = demo();
  assert.equal(await d.exit, 0, d.out.stderr + d.out.stdout);
  assertWholeLoop(d.out.stdout);
});

test("npm run demo -- --broker uses a real Mosquitto", async () => {
  const broker = await startMosquitto();
  try {
    const d = demo(["--broker", broker.url]);
    assert.equal(await d.exit, 0, d.out.stderr + d.out.stdout);
    assert.match(d.out.stdout, new RegExp(`using 127\\.0\\.0\\.1:${broker.port}`));
    assertWholeLoop(d.out.stdout);
  } finally {
    await broker.stop();
  }
});

test("Ctrl-C part way (mcu demo) stops the demo cleanly: exit 130, its pseudo-terminal and temp files gone", async () => {
  const d = demo([], false);
  // After the build, which takes a while on a loaded machine.
  assert.ok(await waitFor(() => d.out.stdout.includes("serial console on"), 60000), d.out.stdout);
  const link = /serial console on (\S+) ->/.exec(d.out.stdout)![1]!;
  process.kill(-d.child.pid!, "SIGINT");
  assert.equal(await d.exit, 130, d.out.stderr + d.out.stdout);
  assert.match(d.out.stdout, /demo: interrupted; stopping/);
  assert.equal(existsSync(link), false, "the demo left its serial link behind");
});
