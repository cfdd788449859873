// `mcu demo` (npm run demo): the whole loop with no board and no services. Builds the firmware,
// starts the embedded broker (or uses --broker), boots an emulated board with its console on a
// pseudo-terminal, flashes the build onto it through the same upload path as ./flash.sh, shows
// the board's console, then sends messages with the host verbs and prints each echo.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { StringDecoder } from "node:string_decoder";
import { DEFAULT_PREFIX, IN, ONLINE, STATUS, topic } from "../../firmware/src/contract.ts";
import { brokerUrl } from "../../host/cli/broker-url.ts";
import { type HostContext, plainContext } from "../../host/cli/options.ts";
import { ping } from "../../host/cli/ping.ts";
import { send } from "../../host/cli/send.ts";
import { mapLine } from "../../host/errmap/mapper.ts";
import { CliError, EXIT, parseOrUsage, usageError, wholeNumber } from "../../host/kit/index.ts";
import { type Message, MqttClient } from "../../host/mqtt/index.ts";
import { parseStatus } from "../../host/status.ts";
import { buildFirmware } from "../compiler/build.ts";
import { Board } from "../emulator/board.ts";
import { openSerialPty } from "../emulator/front/pty.ts";
import { emulatedBuild } from "../nodemcu/builds.ts";
import { flashBoard } from "../serial/flash.ts";
import { markNoise } from "../serial/monitor.ts";
import { startEmbeddedBroker } from "./broker.ts";

export const usage = `usage: mcu demo [--broker mqtt://host:port] [--messages N] [--app DIR] [--raw]

Runs the whole loop on this PC: builds the firmware, starts an embedded MQTT broker (or uses
--broker), boots an emulated NodeMCU board on a pseudo-terminal, flashes the build onto it over
serial as ./flash.sh does, shows the board's console, then sends messages from the host verbs
and prints each echo with its round-trip time. Interactive afterwards on a terminal (type
messages; Ctrl-C quits) unless CI=true or stdin is not a terminal.

  --broker URL    use this broker instead of the embedded one (mqtt:// only)
  --messages N    how many messages to send (default 3)
  --app DIR       run an app folder of your own (mcu new) instead of the project's echo; it must
                  echo as the echo app does (what mcu new starts it from), or the demo fails
  --raw           show the board's Lua errors as it prints them (app.lua:LINE), not at
                  their TypeScript line

example:
  npm run demo`;

const DEVICE = "demo";
const ONLINE_TIMEOUT_MS = 20000;

function heading(text: string): void {
  process.stdout.write(`\n== ${text}\n`);
}

/**
 * The board's console, shown line by line with a margin, from its first restart after flashing;
 * Lua errors at their TypeScript line when `maps` names the build folder.
 */
function consoleView(board: Board, maps: string | undefined): { start(): void } {
  let shown = false;
  let armed = false;
  let partial = "";
  const decoder = new StringDecoder("utf8");
  board.on("boot", () => (shown = armed));
  board.on("output", (d: Buffer) => {
    if (!shown) return;
    const lines = (partial + markNoise(decoder.write(d)).replace(/\r/g, "")).split("\n");
    partial = lines.pop()!;
    for (const l of lines)
      for (const m of (maps ? mapLine(maps, l) : l).split("\n")) process.stdout.write(`  board │ ${m}\n`);
  });
  return { start: () => (armed = true) };
}

/** Resolves when the device's retained status says online. */
function online(broker: { host: string; port: number }): Promise<() => Promise<void>> {
  return new Promise((resolve, reject) => {
    const watcher = new MqttClient({ host: broker.host, port: broker.port, clientId: `mcu-demo-watch-${process.pid}` });
    const timer = setTimeout(
      () =>
        reject(
          new CliError(
            `the board did not come online within ${ONLINE_TIMEOUT_MS / 1000} s (see its console above)`,
            EXIT.failure,
          ),
        ),
      ONLINE_TIMEOUT_MS,
    );
    watcher.on("message", (m: Message) => {
      if (parseStatus(m.payload)?.state !== ONLINE) return;
      clearTimeout(timer);
      resolve(() => watcher.end());
    });
    watcher
      .connect()
      .then(() => watcher.subscribe(topic(DEFAULT_PREFIX, DEVICE, STATUS), 1))
      .catch((err: Error) => reject(new CliError(`cannot watch the board's status: ${err.message}`, EXIT.failure)));
  });
}

/** What `mcu send --device demo --wait --timeout 5 MESSAGE` does. */
function sendAndWait(ctx: HostContext, message: string): Promise<number> {
  return send(ctx, {
    topic: topic(ctx.prefix, DEVICE, IN),
    messages: [Buffer.from(message)],
    retain: false,
    echoesFrom: DEVICE,
    timeoutS: 5,
  });
}

async function interactive(broker: { host: string; port: number }): Promise<void> {
  process.stdout.write(`\nType a message for the board and press Enter (Ctrl-C quits).\n`);
  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: "> " });
  rl.prompt();
  const closed = new Promise<void>((r) => rl.once("close", r));
  process.once("SIGINT", () => rl.close());
  for await (const line of rl) {
    if (line !== "")
      await sendAndWait(plainContext("send", broker, DEVICE), line).catch((err: Error) =>
        process.stdout.write(`${err.message}\n`),
      );
    rl.prompt();
  }
  await closed;
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseOrUsage(
    argv,
    { broker: { type: "string" }, messages: { type: "string" }, app: { type: "string" }, raw: { type: "boolean" } },
    usage,
  );
  const count = wholeNumber("messages", values.messages, { min: 1, max: 1000 }) ?? 3;
  const work = mkdtempSync(join(tmpdir(), "mcu-demo-"));
  const cleanup: (() => Promise<void> | void)[] = [() => rmSync(work, { recursive: true, force: true })];
  let interruptedMidway = false;
  const onSigint = () => {
    interruptedMidway = true;
    process.stdout.write("\ndemo: interrupted; stopping\n");
    void shutdown().then(() => process.exit(130));
  };
  const shutdown = async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  };
  process.once("SIGINT", onSigint);
  try {
    heading("broker");
    const embedded = values.broker ? undefined : await startEmbeddedBroker();
    if (embedded) cleanup.push(() => embedded.close());
    const broker = embedded ?? plainBroker(values.broker!);
    process.stdout.write(`${values.broker ? "using" : "embedded broker (aedes) on"} ${broker.host}:${broker.port}\n`);

    heading("build");
    const configFile = join(work, "device.json");
    writeFileSync(
      configFile,
      JSON.stringify({
        id: DEVICE,
        wifi: { ssid: "emulated", password: "nodemcu-emulator" },
        mqtt: { host: broker.host, port: broker.port },
      }),
    );
    const build = await buildFirmware({ appDir: values.app, configFile, outDir: join(work, "build") });

    heading("board");
    // The build README.md tells users to make, plus what the app uses beyond it (manifest.json's
    // needs): the demo shows what their board will do once it has those modules.
    const nodemcu = emulatedBuild(build.needs.modules);
    const board = new Board({ flashDir: join(work, "flash"), modules: nodemcu.modules });
    const link = join(work, "ttyDEMO");
    const pty = openSerialPty(link);
    cleanup.push(
      () => pty.close(),
      () => board.powerOff(),
    );
    pty.onData((d) => board.input(d));
    board.on("output", (d: Buffer) => pty.write(d));
    const view = consoleView(board, values.raw ? undefined : build.outDir);
    board.boot();
    process.stdout.write(
      `emulated NodeMCU board (chip id ${board.chipId}) with an empty flash; serial console on ${link} -> ${pty.device}\n`,
    );
    process.stdout.write(
      `its NodeMCU build: ${nodemcu.line} (${board.modules.join(",")}), SSL ${board.ssl}, ${board.numberType} numbers\n`,
    );

    heading(`flash (the ./flash.sh upload path, over ${link})`);
    const flashStart = performance.now();
    view.start();
    await flashBoard({ build, port: link, baud: 115200 });
    const stopWatching = await online(broker);
    cleanup.push(stopWatching);
    const onlineSecs = (performance.now() - flashStart) / 1000;
    process.stdout.write(`demo: the board is online ${onlineSecs.toFixed(1)} s after the flash began\n`);

    heading(`echo (mcu send --wait, ${count} message(s))`);
    let echoed = 0;
    for (let i = 1; i <= count; i++) {
      const code = await sendAndWait(plainContext("send", broker, DEVICE), `hello #${i} from the PC`);
      if (code === EXIT.ok) echoed++;
    }
    heading("round trips (mcu ping)");
    await ping(plainContext("ping", broker, DEVICE), {
      device: DEVICE,
      count: 5,
      intervalMs: 100,
      size: 32,
      timeoutS: 2,
    });

    heading("summary");
    process.stdout.write(
      `flashed ${build.files.length} files (${build.totalBytes} bytes) over serial; online in ${onlineSecs.toFixed(1)} s; ${echoed}/${count} messages echoed\n`,
    );
    if (process.stdin.isTTY && process.env.CI !== "true") {
      process.off("SIGINT", onSigint);
      await interactive(broker);
    }
    return echoed === count ? EXIT.ok : EXIT.timeout;
  } finally {
    process.off("SIGINT", onSigint);
    if (!interruptedMidway) await shutdown();
  }
}

/** The --broker the demo's board can reach: its config has no TLS. */
function plainBroker(url: string): { host: string; port: number } {
  const broker = brokerUrl(url);
  if (broker.tls) usageError(`--broker "${url}": use mqtt://host:port (the emulated board's demo config has no TLS)`);
  return broker;
}
