// `npm run bench`: every figure as a ratio against a reference measured in the same run, as a
// markdown table on stdout and bench/results/latest.json. Never part of `npm test`.
// BENCH_QUICK=1 runs fewer repetitions and a smaller fleet (a smoke run, not for the README);
// BENCH_ONLY=serve,echo runs those rows alone (SECTIONS). Neither writes latest.json.
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { DEFAULT_MAX_MESSAGE_LENGTH, IN, MESSAGE_QOS, topic } from "../firmware/src/contract.ts";
import { boardPayloadLimit } from "../host/payload-limits.ts";
import { type Broker, startMosquitto } from "../test/helpers/broker.ts";
import { writeConfig } from "../test/helpers/firmware.ts";
import { buildFirmware } from "../tools/compiler/build.ts";
import { DEFAULT_MODULES } from "../tools/emulator/board.ts";
import { BoardSession } from "../tools/serial/session.ts";
import { brokerCeiling, coldStart, has, mqttJsBin, serveThroughput } from "./cli-speed.ts";
import { brokerOnly, type Rtt, throughBoard } from "./echo.ts";
import { fleetRun } from "./fleet.ts";
import {
  type Burst,
  burst,
  FLOOD,
  type Flood,
  type Footprint,
  fileSets,
  flood,
  measure,
  measureSensor,
  type SensorFootprint,
  sensorFileSets,
} from "./footprint.ts";
import { otaFleet, otaVsSerial } from "./ota.ts";
import { fmt, sample } from "./stats.ts";
import { timed } from "./timed.ts";
import { LINE_BYTES_PER_S, nodemcuTool, pacedBoard, payload } from "./upload.ts";

const ROOT = join(import.meta.dirname, "..");
const QUICK = process.env.BENCH_QUICK === "1";
const RUNS = QUICK ? 1 : 5;
/** Runs of the rows that compare two firmwares on one board: even, so each goes first as often. */
const PAIRS = QUICK ? 1 : 4;

interface Row {
  row: string;
  measure: string;
  ours: string;
  reference: string;
  ratio: number | undefined;
  target: string;
  met: boolean | undefined;
  note?: string;
}

const rows: Row[] = [];
/** Three decimals, so a ratio just under a target does not print as the target itself. */
const ratioText = (ratio: number) => ratio.toFixed(3);
function add(r: Row): void {
  rows.push(r);
  process.stderr.write(`bench: ${r.row} — ${r.measure}: ${r.ratio === undefined ? r.note : ratioText(r.ratio)}\n`);
}

function version(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: "utf8" });
  return (
    (r.stdout + r.stderr)
      .split("\n")
      .find((l) => /\d+\.\d+/.test(l))
      ?.trim() ?? "unknown"
  );
}

const tmp = mkdtempSync(join(tmpdir(), "mcu-bench-"));
// Every row runs on Mosquitto's own defaults, as a user's stock broker is; the rows whose figures
// depend on the broker's Nagle (echo throughput, burst, echo round trip) run again on a tuned one
// (set_tcp_nodelay true) as a second, named line.
const broker = await startMosquitto();
const tuned = await startMosquitto({ tcpNoDelay: true });
const config = (id: string | undefined, port = broker.port) =>
  writeConfig({
    ...(id ? { id } : {}),
    wifi: { ssid: "emulated", password: "nodemcu-emulator" },
    mqtt: { host: "127.0.0.1", port },
  });
/** The stock broker and the tuned one, for rows measured on both. */
const brokers = () =>
  [
    ["stock Mosquitto", broker],
    ["Mosquitto with set_tcp_nodelay true", tuned],
  ] as const;

/**
 * Our firmware's and the reference's runs, PAIRS each, after one warm-up run: the first board of a
 * run echoes slower (a cold broker session, JIT), so the two take turns going first. `between`
 * runs after each pair.
 */
async function inTurns<T>(
  ours: () => Promise<T>,
  reference: () => Promise<T>,
  warmUp: () => Promise<unknown>,
  between: () => Promise<void> = async () => {},
): Promise<{ ours: T[]; reference: T[] }> {
  await warmUp();
  const out = { ours: [] as T[], reference: [] as T[] };
  for (let i = 0; i < PAIRS; i++) {
    if (i % 2 === 0) out.ours.push(await ours());
    out.reference.push(await reference());
    if (i % 2 === 1) out.ours.push(await ours());
    await between();
  }
  return out;
}

async function footprintRows(): Promise<void> {
  // 1. Firmware footprint, echo throughput and a burst; the heap and flash figures do not depend
  // on the broker, the others are measured on both.
  for (const [name, b] of brokers()) {
    const build = await buildFirmware({
      configFile: config("bench-fp", b.port),
      outDir: join(tmp, `fp-${b.port}`),
      log: () => {},
    });
    const sets = fileSets(build, join(ROOT, "bench", "reference"));
    // The emulated NodeMCU loses its stream when a read ends inside a packet's length bytes
    // (mqtt_msg.c:133-146), and either firmware's board then stalls: such a run is said and
    // measured again, once, on a fresh board.
    const once = (files: string[]) => () =>
      measure(files, b, "bench-fp").catch((err: Error) => {
        process.stderr.write(`bench: measured again: ${err.message}\n`);
        return measure(files, b, "bench-fp");
      });
    const runs = await inTurns<Footprint>(once(sets.ours), once(sets.reference), once(sets.reference)).catch(
      (err: Error) => err,
    );
    if (runs instanceof Error) {
      // A board that stalls (either firmware) is a row not met, not the end of the bench.
      const measured = `echoes a second through one board under the one-packet rule (1,000 messages, 10 awaiting their echo), ${name}`;
      add({
        row: "1 echo throughput",
        measure: measured,
        ours: "—",
        reference: "—",
        ratio: undefined,
        target: "≥ 1.0×",
        met: false,
        note: runs.message,
      });
      continue;
    }
    const { ours, reference: ref } = runs;
    if (b === broker) footprint(ours, ref);
    const rate = sample(ours.map((f) => f.echoRate));
    const refRate = sample(ref.map((f) => f.echoRate));
    add({
      row: "1 echo throughput",
      measure: `echoes a second through one board under the one-packet rule (1,000 messages, 10 awaiting their echo), ${name}`,
      ours: fmt(rate, 0),
      reference: `${fmt(refRate, 0)} hand-written Lua`,
      ratio: rate.median / refRate.median,
      target: "≥ 1.0×",
      met: rate.median >= refRate.median,
    });
    await burstRow(sets, b, name);
    await floodRow(sets, b, name);
  }
  await sensorRows();
}

/** 1b. The sensor example (firmware/examples/sensor) on the session library against reference/sensor.lua. */
async function sensorRows(): Promise<void> {
  const build = await buildFirmware({
    appDir: join(ROOT, "firmware", "examples", "sensor"),
    configFile: config("bench-sensor"),
    outDir: join(tmp, "sensor"),
    log: () => {},
  });
  const sets = sensorFileSets(build, join(ROOT, "bench", "reference"));
  const { ours, reference: ref } = await inTurns<SensorFootprint>(
    () => measureSensor(sets.ours, broker, "bench-sensor"),
    () => measureSensor(sets.reference, broker, "bench-sensor"),
    () => measureSensor(sets.reference, broker, "bench-sensor"),
  );
  ratioRows("1 sensor footprint", "sensor example: ", ours, ref, [
    ["bootHeap", "Lua heap in use after boot (bytes)", 1.0],
    ["readHeap", "Lua heap in use after 3 readings (bytes)", 1.0],
    ["flashBytes", "bytes on flash", 1.25],
  ]);
}

/** One line per measure: the median of our runs against the reference's, at most `target` times it. */
function ratioRows<T>(
  row: string,
  prefix: string,
  ours: T[],
  ref: T[],
  measures: readonly (readonly [keyof T, string, number])[],
): void {
  for (const [key, label, target] of measures) {
    const o = sample(ours.map((f) => f[key] as number));
    const r = sample(ref.map((f) => f[key] as number));
    add({
      row,
      measure: `${prefix}${label}`,
      ours: fmt(o, 0),
      reference: `${fmt(r, 0)} hand-written Lua`,
      ratio: o.median / r.median,
      target: `≤ ${target}×`,
      met: o.median / r.median <= target,
    });
  }
}

function footprint(ours: Footprint[], ref: Footprint[]): void {
  ratioRows("1 footprint", "", ours, ref, [
    ["bootHeap", "Lua heap in use after boot (bytes)", 1.0],
    ["echoHeap", "Lua heap in use after 1,000 echoes (bytes)", 1.0],
    ["flashBytes", "bytes on flash", 1.25],
  ]);
}

/** The broker's whole in-flight window (Mosquitto's default 20) of messages at the payload limit, at once. */
async function burstRow(sets: { ours: string[]; reference: string[] }, b: Broker, name: string): Promise<void> {
  const size = boardPayloadLimit(DEFAULT_MAX_MESSAGE_LENGTH, topic("nodemcu", "bench-fp", IN), MESSAGE_QOS);
  const bursts = { ours: [] as Burst[], reference: [] as Burst[] };
  for (let i = 0; i < Math.min(RUNS, 3); i++) {
    bursts.ours.push(await burst(sets.ours, b, "bench-fp", size, DEFAULT_MAX_MESSAGE_LENGTH));
    bursts.reference.push(await burst(sets.reference, b, "bench-fp", size, DEFAULT_MAX_MESSAGE_LENGTH));
  }
  const lowest = (list: Burst[]) => Math.min(...list.map((x) => x.lowestFree));
  const worst = (list: Burst[]) =>
    `lowest free heap ${lowest(list)} B; echoed ${list.map((x) => x.echoed).join("/")}, dropped ${list.map((x) => x.dropped).join("/")}, panics ${list.reduce((n, x) => n + x.panics, 0)} (n=${list.length})`;
  add({
    row: "1 burst",
    measure: `20 messages of ${size} bytes at once (the payload limit of maxMessageLength ${DEFAULT_MAX_MESSAGE_LENGTH}), ${name}: lowest free heap, echoes, drops; ratio of lowest free heaps`,
    ours: worst(bursts.ours),
    reference: `${worst(bursts.reference)} hand-written Lua`,
    ratio: lowest(bursts.ours) / lowest(bursts.reference),
    target: "no panic; each echoed or counted",
    met: bursts.ours.every((x) => x.panics === 0 && x.echoed + x.dropped === 20),
  });
}

/** FLOOD QoS 1 messages back to back (mosquitto_pub -l): the limit a careless user reaches. */
async function floodRow(sets: { ours: string[]; reference: string[] }, b: Broker, name: string): Promise<void> {
  const floods = { ours: [] as Flood[], reference: [] as Flood[] };
  for (let i = 0; i < Math.min(RUNS, 3); i++) {
    floods.ours.push(await flood(sets.ours, b, "bench-fp"));
    floods.reference.push(await flood(sets.reference, b, "bench-fp"));
  }
  const echoed = (list: Flood[]) => sample(list.map((x) => x.echoed));
  const show = (list: Flood[]) =>
    `echoed ${list.map((x) => x.echoed).join("/")}, dropped ${list.map((x) => x.dropped).join("/")}, panics ${list.reduce((n, x) => n + x.panics, 0)}, ` +
    `reboots ${list.reduce((n, x) => n + x.boots, 0)}, all accounted for in ${fmt(sample(list.map((x) => x.seconds)), 1)} s`;
  add({
    row: "1 flood",
    measure: `${FLOOD} QoS 1 messages back to back (mosquitto_pub -l), ${name}: echoes, drops, panics, reboots; ratio of echoes`,
    ours: show(floods.ours),
    reference: `${show(floods.reference)} hand-written Lua`,
    ratio: echoed(floods.ours).median / echoed(floods.reference).median,
    target: "no panic or reboot; each echoed or counted",
    met: floods.ours.every((x) => x.panics === 0 && x.boots === 0 && x.echoed + x.dropped >= FLOOD),
  });
}

async function uploadRows(): Promise<void> {
  // 2. Upload rate on the emulated 115200-baud line, to a strict board with an aged filesystem.
  const big = payload(tmp, 32 * 1024);
  const data = readFileSync(big);
  for (const timing of ["typical", "worst"] as const) {
    const rates: number[] = [];
    const commands: number[] = [];
    let exact = true;
    for (let i = 0; i < Math.min(RUNS, 3); i++) {
      const b = pacedBoard(DEFAULT_MODULES, timing);
      try {
        const s = await BoardSession.open(b.link, 115200);
        try {
          await s.ready();
          // The transfer: from the receiver's start to the board's grant after the last window.
          const t0 = performance.now();
          let t1 = t0;
          await s.stage(`up${i}.bin`, data, (sent, total) => {
            if (sent === total) t1 = performance.now();
          });
          rates.push(data.length / ((t1 - t0) / 1000));
        } finally {
          await s.close();
        }
        // The whole command as a user waits for it: port, prompt, helpers, checks, transfer, rename.
        commands.push(await timed(process.execPath, [join(ROOT, "dist", "mcu.js"), "upload", "--port", b.link, big]));
        exact &&=
          readFileSync(join(b.board.flash.dir, "payload.bin")).equals(data) &&
          b.board.rx.overflowed + b.board.rx.lost === 0;
      } finally {
        b.close();
      }
    }
    const rate = sample(rates.map((r) => r / LINE_BYTES_PER_S));
    const target = timing === "typical" ? 0.85 : undefined;
    add({
      row: "2 upload",
      measure: `payload bytes/s ÷ 11,520 (32 KB transfer; strict board, aged filesystem, ${timing} flash timing)`,
      ours: fmt(sample(rates), 0, " B/s"),
      reference: "11,520 B/s line rate",
      ratio: rate.median,
      target: target === undefined ? "byte-exact" : `≥ ${target}, byte-exact`,
      met: exact && (target === undefined || rate.median >= target),
    });
    const whole = sample(commands);
    add({
      row: "2 upload",
      measure: `whole mcu upload command, 32 KB (s): line time ÷ command time (${timing} flash timing)`,
      ours: fmt(whole, 2, " s"),
      reference: `${(data.length / LINE_BYTES_PER_S).toFixed(2)} s on the line`,
      ratio: data.length / LINE_BYTES_PER_S / whole.median,
      target: "info",
      met: undefined,
    });
  }

  const tool = nodemcuTool(ROOT);
  const small = payload(join(tmp), 8 * 1024);
  for (const [mode, modules, target] of [
    ["base64 (board has encoder)", "bit,file,gpio,mqtt,net,node,rtcmem,sjson,tmr,uart,wifi,encoder", 1.3],
    ["hex (no encoder)", "bit,file,gpio,mqtt,net,node,rtcmem,sjson,tmr,uart,wifi", 1.9],
  ] as const) {
    if (!tool.bin) {
      add({
        row: "2 upload",
        measure: `vs nodemcu-tool, ${mode}`,
        ours: "",
        reference: "",
        ratio: undefined,
        target: `≥ ${target}×`,
        met: undefined,
        note: tool.why,
      });
      continue;
    }
    const oursT: number[] = [];
    const theirsT: number[] = [];
    for (let i = 0; i < Math.min(RUNS, 3); i++) {
      const b = pacedBoard(modules.split(","));
      try {
        await new Promise((r) => setTimeout(r, 300));
        oursT.push(await timed(process.execPath, [join(ROOT, "dist", "mcu.js"), "upload", "--port", b.link, small]));
        theirsT.push(await timed(process.execPath, [tool.bin, "--port", b.link, "--baud", "115200", "upload", small]));
      } finally {
        b.close();
      }
    }
    const o = sample(oursT);
    const t = sample(theirsT);
    add({
      row: "2 upload",
      measure: `vs nodemcu-tool 3.2.1, ${mode}, 8 KB, whole command`,
      ours: fmt(o, 2, " s"),
      reference: fmt(t, 2, " s"),
      ratio: t.median / o.median,
      target: `≥ ${target}×`,
      met: t.median / o.median >= target,
    });
  }
}

async function coldStartRows(): Promise<void> {
  // 3. mcu send cold start.
  const cold = await coldStart(ROOT, broker.port, QUICK ? 3 : 10);
  const base = cold["node -e 0"]!;
  for (const [name, s] of Object.entries(cold)) {
    if (name === "node -e 0" || name === "mcu send") continue;
    add({
      row: "3 send cold start",
      measure: `mcu send vs ${name} (ms)`,
      ours: fmt(cold["mcu send"]!, 1),
      reference: fmt(s, 1),
      ratio: cold["mcu send"]!.median / s.median,
      target: "info",
      met: undefined,
    });
  }
  add({
    row: "3 send cold start",
    measure: "mcu send vs node -e 0 (ms)",
    ours: fmt(cold["mcu send"]!, 1),
    reference: fmt(base, 1),
    ratio: cold["mcu send"]!.median / base.median,
    target: "≤ 1.5×",
    met: cold["mcu send"]!.median / base.median <= 1.5,
  });
}

async function serveRows(): Promise<void> {
  // 4. mcu serve throughput.
  const tp = await serveThroughput(ROOT, broker.port, QUICK ? 20000 : 100000, QUICK ? 1 : 5);
  const n = QUICK ? 20000 : 100000;
  if (tp["mosquitto_sub -v"]) {
    const o = tp["mcu serve"]!;
    const t = tp["mosquitto_sub -v"]!;
    add({
      row: "4 serve throughput",
      measure: `${n.toLocaleString("en")} QoS 0 messages published as fast as the broker takes them, printed per second`,
      ours: `${fmt(o, 0)}; fewest printed ${o.fewest.toLocaleString("en")}`,
      reference: `mosquitto_sub -v ${fmt(t, 0)}; fewest printed ${t.fewest.toLocaleString("en")}`,
      ratio: o.median / t.median,
      target: "≥ 1.2×, every message printed",
      met: o.median / t.median >= 1.2 && o.fewest === n,
    });
  }
  const ceiling = await brokerCeiling(broker.port, n, QUICK ? 1 : 5);
  const o = tp["mcu serve"]!;
  add({
    row: "4 serve throughput",
    measure: `${n.toLocaleString("en")} QoS 0 messages: mcu serve printed per second vs what the broker delivers to a subscriber that prints nothing`,
    ours: fmt(o, 0),
    reference: `${fmt(ceiling, 0)} raw socket`,
    ratio: o.median / ceiling.median,
    target: "info",
    met: undefined,
  });
}

async function echoRows(): Promise<void> {
  // 5. Echo round trip through one board, on the stock broker and on the tuned one: (a) against the
  // hand-written Lua reference on the same emulator and broker, (b) against the two-crossing floor.
  for (const [name, b] of brokers()) {
    const echoBuild = await buildFirmware({
      configFile: config("bench-echo", b.port),
      outDir: join(tmp, `echo-${b.port}`),
      log: () => {},
    });
    const refDir = join(tmp, `echo-ref-${b.port}`);
    mkdirSync(refDir);
    for (const f of ["init.lua", "app.lua"]) copyFileSync(join(ROOT, "bench", "reference", f), join(refDir, f));
    copyFileSync(join(echoBuild.outDir, "config.lua"), join(refDir, "config.lua"));
    const brokerRtts: Rtt[] = [];
    const rtt = await inTurns<Rtt>(
      () => throughBoard(ROOT, echoBuild.outDir, b.port, 200),
      () => throughBoard(ROOT, refDir, b.port, 200),
      () => throughBoard(ROOT, refDir, b.port, 50),
      // Broker-only runs between the pairs, so a drifting machine weighs on all three alike.
      async () => void brokerRtts.push(await brokerOnly(b.port, 200)),
    );
    for (const p of ["p50", "p99"] as const) {
      const o = sample(rtt.ours.map((r) => r[p]));
      const r = sample(rtt.reference.map((x) => x[p]));
      add({
        row: "5a echo round trip",
        measure: `${p} through one emulated board vs the hand-written Lua on it (ms), ${name}`,
        ours: fmt(o, 3),
        reference: `${fmt(r, 3)} hand-written Lua`,
        ratio: o.median / r.median,
        target: "≤ 1.0×",
        met: o.median <= r.median,
      });
      // Through a board a message crosses the broker twice, so two broker-only round trips are the
      // least a board that took no time at all could score.
      const floor = 2 * sample(brokerRtts.map((x) => x[p])).median;
      add({
        row: "5b echo round trip",
        measure: `${p} through one emulated board vs its floor, two broker-only round trips (ms), ${name}`,
        ours: fmt(o, 3),
        reference: `2 × ${(floor / 2).toFixed(3)} = ${floor.toFixed(3)}`,
        ratio: o.median / floor,
        target: "≤ 1.5×",
        met: o.median / floor <= 1.5,
      });
    }
  }
}

async function fleetRows(): Promise<void> {
  // 6. Fleet.
  const fleetBuild = await buildFirmware({ configFile: config(undefined), outDir: join(tmp, "fleet"), log: () => {} });
  let best: { boards: number; kibPerBoard: number } | undefined;
  const tried: string[] = [];
  for (const size of QUICK ? [100, 250] : [1000, 2500, 5000]) {
    const r = await fleetRun(size, fleetBuild.outDir, broker.port, QUICK ? 3 : 10);
    tried.push(`${size}: ${r.online} online, ${r.received}/${r.sent} echoed`);
    if (r.online < size || r.received < r.sent) break;
    best = { boards: size, kibPerBoard: r.kibPerBoard };
  }
  add({
    row: "6 fleet",
    measure: "boards echoing 1 msg/s each with 0 loss (host KiB per board)",
    ours: best ? `${best.boards} boards, ${best.kibPerBoard.toFixed(0)} KiB each` : "none",
    reference: "target 5,000",
    ratio: best ? best.boards / 5000 : 0,
    target: "≥ 1.0 (5,000 boards)",
    met: best ? best.boards >= 5000 : false,
    note: tried.join("; "),
  });
}

// ── 7. Updates over MQTT (issue 17; bench/ota.ts). Boards built with "ota": it is opt-in. ──
async function otaRows(): Promise<void> {
  const otaConfig = (id: string | undefined) =>
    writeConfig({
      ...(id ? { id } : {}),
      wifi: { ssid: "emulated", password: "nodemcu-emulator" },
      mqtt: { host: "127.0.0.1", port: broker.port },
      ota: {},
    });
  const url = `mqtt://127.0.0.1:${broker.port}`;
  const oneBuild = await buildFirmware({
    configFile: otaConfig("bench-ota"),
    outDir: join(tmp, "ota-one"),
    log: () => {},
  });
  const one = await otaVsSerial(ROOT, oneBuild.outDir, "bench-ota", url, tmp, Math.min(RUNS, 3));
  const ota = sample(one.ota);
  const serial = sample(one.serial);
  add({
    row: "7 ota",
    measure:
      "a change to app.lua until the board is online running it (s): mcu ota vs ./flash.sh over 115200-baud serial, same emulated board",
    ours: fmt(ota, 2, " s"),
    reference: fmt(serial, 2, " s"),
    ratio: ota.median / serial.median,
    target: "info (≤ 1× is faster than the cable)",
    met: undefined,
    note: `ota ${ota.median.toFixed(2)} s, serial ${serial.median.toFixed(2)} s`,
  });
  const fleetSize = QUICK ? 100 : 1000;
  const fleetBuild = await buildFirmware({
    configFile: otaConfig(undefined),
    outDir: join(tmp, "ota-fleet-build"),
    log: () => {},
  });
  const f = await otaFleet(ROOT, fleetBuild.outDir, fleetSize, url, join(tmp, "ota-fleet"), 50, 5);
  add({
    row: "7 ota",
    measure: `mcu ota --parallel 50 --canary 5 to ${fleetSize} emulated boards: time (s) and the updater's peak memory`,
    ours: `${f.updated}/${f.boards} updated in ${f.seconds.toFixed(0)} s, mcu ota ${f.updaterMiB.toFixed(0)} MiB`,
    reference: `${fleetSize} boards (${f.kibPerBoard.toFixed(0)} KiB each in the bench process)`,
    ratio: f.updated / f.boards,
    target: "info (every board updated)",
    met: undefined,
    note: `${(f.seconds / f.boards).toFixed(2)} s per board`,
  });
}

/** The rows, by the name BENCH_ONLY takes (e.g. BENCH_ONLY=footprint,echo). */
const SECTIONS: Record<string, () => Promise<void>> = {
  footprint: footprintRows,
  sensor: sensorRows,
  upload: uploadRows,
  "cold-start": coldStartRows,
  serve: serveRows,
  echo: echoRows,
  fleet: fleetRows,
  ota: otaRows,
};
const ONLY = process.env.BENCH_ONLY?.split(",").filter(Boolean);
for (const name of ONLY ?? []) {
  if (!SECTIONS[name]) {
    process.stderr.write(`bench: BENCH_ONLY names "${name}"; the rows are ${Object.keys(SECTIONS).join(", ")}\n`);
    process.exit(2);
  }
}

try {
  execFileSync(process.execPath, [join(ROOT, "tools", "cli", "bundle.mjs")], { stdio: "ignore" });

  for (const [name, rows] of Object.entries(SECTIONS)) if (!ONLY || ONLY.includes(name)) await rows();
} finally {
  await Promise.all([broker.stop(), tuned.stop()]);
  rmSync(tmp, { recursive: true, force: true });
}

const machine = `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GB RAM`;
const versions = {
  node: process.version,
  mosquitto: version("mosquitto", ["-h"]),
  "nodemcu-tool": "3.2.1",
  mqtt: mqttJsBin(ROOT)
    ? JSON.parse(readFileSync(join(ROOT, "node_modules", "mqtt", "package.json"), "utf8")).version
    : "not installed",
  mosquitto_clients: has("mosquitto_pub") ? "installed" : "not installed",
};
const table = [
  `Machine: ${machine}; Node ${versions.node}; ${versions.mosquitto}; MQTT.js ${versions.mqtt}; nodemcu-tool ${versions["nodemcu-tool"]}. Medians with (min–max, runs).`,
  "",
  "| row | measure | ours | reference | ratio | target | met |",
  "|---|---|---|---|---|---|---|",
  ...rows.map(
    (r) =>
      `| ${r.row} | ${r.measure} | ${r.ours} | ${r.reference} | ${r.ratio === undefined ? "—" : ratioText(r.ratio)} | ${r.target} | ${r.met === undefined ? (r.note ?? "—") : r.met ? "yes" : "no"} |`,
  ),
].join("\n");
process.stdout.write(table + "\n");
// Only a full run replaces the recorded results.
if (!QUICK && !ONLY)
  writeFileSync(
    join(ROOT, "bench", "results", "latest.json"),
    JSON.stringify({ date: new Date().toISOString(), machine, versions, rows }, null, 2) + "\n",
  );
