// `mcu flash` (what ./flash.sh runs): build, find the port, get the REPL, check the board's
// NodeMCU build against the firmware's needs, upload what changed (each file verified on the
// board, then all renamed into place at once), optionally compile, restart, then show the console.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { BOOT_GUARD_SLOT } from "../../firmware/src/contract.ts";
import { CliError, EXIT, exitCodeOf, parseOrUsage } from "../../host/kit/index.ts";
import { appPaths } from "../compiler/app.ts";
import { buildFirmware, DEFAULT_OUT, FIRMWARE_SRC } from "../compiler/build.ts";
import { type Firmware, readBuild } from "../compiler/manifest.ts";
import { luaLiteral } from "../lua/literal.ts";
import { SerialError } from "./errors.ts";
import { monitor } from "./monitor.ts";
import { baudOf, openBoard, portOf } from "./options.ts";
import { checkBoard, describeBoard, readBoardBuild } from "./preflight.ts";
import { fileProgress } from "./progress.ts";
import type { BoardSession } from "./session.ts";
import { watchAndFlash } from "./watch.ts";

export const usage = `usage: ./flash.sh [--app DIR] [--port PATH] [--baud 115200] [--config FILE] [--out DIR] [--no-build] [--no-monitor]
                  [--all] [--compile] [--watch] [--raw]

Builds the firmware, checks that the board's NodeMCU build has the modules, SSL and number type
it needs (refused before any upload otherwise), uploads the files whose size or checksum differ
from the board's (each verified on the board under a temporary name, then all renamed into place
in one step, init.lua included), restarts the board and shows its console (Ctrl-] quits).

  --app DIR      an app folder of your own (mcu new): its src/, device.json and build/lua
  --port PATH    the board's serial port (default: the one USB-serial bridge present)
  --baud N       line speed (default 115200)
  --config FILE  device config (default: the project's device.json)
  --out DIR      where the build goes (default build/lua; only an earlier build's files are replaced)
  --no-build     flash the build already in --out as it is (one build, many boards)
  --all          upload every file, changed or not
  --compile      compile the modules to .lc on the board (init.lua stays source)
  --no-monitor   exit after the restart instead of showing the console
  --watch        after the console opens, build and flash again on every save of the sources
                 or the config (only the files that changed go up); a failed build is shown
                 and the board keeps its last good build. Ctrl-] or Ctrl-C quits
  --raw          show Lua errors as the board prints them (app.lua:LINE), not at their
                 TypeScript line (the build's error maps, never uploaded)

exit status: 0 done, 1 a step failed (named in the message; a board whose NodeMCU build cannot
run the firmware is one), 2 bad arguments or config

example:
  ./flash.sh --port /dev/ttyUSB0`;

const STEPS = [
  "build",
  "find the port",
  "get the REPL",
  "check the board",
  "upload",
  "compile",
  "restart",
  "monitor",
] as const;
type Step = (typeof STEPS)[number];

async function step<T>(name: Step, fn: () => Promise<T>): Promise<T> {
  const n = STEPS.indexOf(name) + 1;
  try {
    return await fn();
  } catch (err) {
    throw new CliError(
      `step ${n}/${STEPS.length} (${name}) failed: ${(err as Error).message}`,
      exitCodeOf(err) ?? EXIT.failure,
      err instanceof CliError && err.styled,
    );
  }
}

interface Plan {
  name: string;
  data: Buffer;
}

/** The build's files that differ from the board's (all of them with --all). */
async function changed(session: BoardSession, build: Firmware, all: boolean): Promise<Plan[]> {
  const plan: Plan[] = [];
  for (const f of build.files) {
    const data = readFileSync(join(build.outDir, f.name));
    if (all || !(await session.has(f.name, data))) plan.push({ name: f.name, data });
  }
  return plan;
}

/** Stages every file (retrying one whose transfer the board's reset cut), then commits them together. */
async function upload(session: BoardSession, plan: Plan[]): Promise<number> {
  let bytes = 0;
  for (const { name, data } of plan) {
    const bar = fileProgress(name);
    for (let resets = 0; ; resets++) {
      try {
        await session.stage(name, data, (sent, total) => bar.update(sent, total));
        break;
      } catch (err) {
        const reset = err instanceof SerialError && err.code === "BOARD_RESET";
        if (!reset || resets === 2) throw err;
        process.stdout.write(`\nflash: the board restarted during ${name}; getting the REPL again and resending it\n`);
        await session.ready();
      }
    }
    bar.done(data.length);
    bytes += data.length;
  }
  // init.lua is in the same rename step: until it runs, the board boots the old firmware whole.
  await session.commit(plan.map((p) => p.name));
  return bytes;
}

async function compile(session: BoardSession, build: Firmware): Promise<void> {
  for (const f of build.files) {
    if (!f.name.endsWith(".lua") || f.name === "init.lua") continue;
    const lc = f.name.replace(/\.lua$/, ".lc");
    // One module per line with a collect between, so the compiler has the whole heap.
    const out = await session.run(
      `collectgarbage() node.compile(${luaLiteral(f.name)}) print(file.exists(${luaLiteral(lc)}))`,
      60000,
    );
    if (!/^true$/m.test(out))
      throw new SerialError("REJECTED", `${f.name} did not compile on the board: ${out.trim()}`);
    process.stdout.write(`  ${f.name} -> ${lc}\n`);
  }
}

/** Refuses a board whose NodeMCU build cannot run the firmware; says what it found and warns of what differs. */
async function preflight(session: BoardSession, o: FlashOptions): Promise<void> {
  const board = await readBoardBuild(session);
  process.stdout.write(`flash: ${o.port}: ${describeBoard(board)}\n`);
  for (const w of checkBoard(board, o.build.needs)) process.stderr.write(`flash: warning: ${w}\n`);
}

export interface FlashOptions {
  build: Firmware;
  port: string;
  baud: number;
  all?: boolean;
  compile?: boolean;
}

/** Steps 3 to 6 on a built firmware: what ./flash.sh does after the build, up to the monitor. */
export async function flashBoard(o: FlashOptions): Promise<void> {
  const session = await step("get the REPL", () => openBoard(o.port, o.baud));
  try {
    await step("check the board", () => preflight(session, o));
    const plan = await step("upload", () => changed(session, o.build, o.all === true));
    if (plan.length === 0) {
      process.stdout.write(
        `flash: nothing to upload: the board already has all ${o.build.files.length} files of this build\n`,
      );
    } else {
      const start = performance.now();
      const bytes = await step("upload", async () => {
        await session.checkRoom(plan);
        return upload(session, plan);
      });
      const secs = (performance.now() - start) / 1000;
      process.stdout.write(
        `flash: uploaded ${plan.length} file(s), ${bytes} bytes in ${secs.toFixed(2)} s; ${o.build.files.length - plan.length} unchanged\n`,
      );
    }
    if (o.compile) await step("compile", () => compile(session, o.build));
    await step("restart", async () => {
      // A new firmware gets fresh tries from the boot guard.
      await session.run(`rtcmem.write32(${BOOT_GUARD_SLOT}, 0)`);
      await session.restart();
      process.stdout.write(`flash: ${o.port}: the board restarted into firmware ${o.build.version}\n`);
    });
  } finally {
    await session.close();
  }
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseOrUsage(
    argv,
    {
      app: { type: "string" },
      port: { type: "string" },
      baud: { type: "string" },
      config: { type: "string" },
      watch: { type: "boolean" },
      out: { type: "string" },
      "no-monitor": { type: "boolean" },
      "no-build": { type: "boolean" },
      all: { type: "boolean" },
      compile: { type: "boolean" },
      raw: { type: "boolean" },
    },
    usage,
  );
  const baud = baudOf(values.baud);
  if (values["no-build"] && values.config !== undefined)
    throw new CliError(
      "--no-build flashes a finished build, which already holds its config: drop --config, or --no-build",
      EXIT.usage,
    );
  if (values.watch && (values["no-build"] || values["no-monitor"]))
    throw new CliError(
      "--watch builds on every save and shows the console: drop --no-build and --no-monitor",
      EXIT.usage,
    );
  const out = values.out ?? (values.app ? appPaths(values.app).out : DEFAULT_OUT);
  const rebuild = () =>
    buildFirmware({
      appDir: values.app,
      configFile: values.config,
      outDir: out,
      versionTag: values.watch ? "watch" : undefined,
    });
  const build = await step("build", async () => (values["no-build"] ? readBuild(out) : rebuild()));
  const port = await step("find the port", () => portOf(values.port));
  const flash = (b: Firmware) => flashBoard({ build: b, port, baud, all: values.all, compile: values.compile });
  await flash(build);
  if (values["no-monitor"]) return EXIT.ok;
  const maps = values.raw ? undefined : build.outDir;
  if (!values.watch) return step("monitor", () => monitor(port, baud, { maps }));
  const sources = values.app ? appPaths(values.app).src : FIRMWARE_SRC;
  const config = "configFile" in build ? [build.configFile] : [];
  return watchAndFlash({ paths: [sources, ...config], port, baud, build: rebuild, flash, maps });
}
