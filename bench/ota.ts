// Rows 7 (issue 17): updates over MQTT. One board: `mcu ota` of a change to app.lua against the same
// change by ./flash.sh (mcu flash) over a 115200-baud serial line, both timed until the board is
// back online running it. A fleet: `mcu ota` to 1,000 emulated boards (each with its own flash),
// its time and the updater's peak memory.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { defaultId } from "../firmware/src/contract.ts";
import { Board } from "../tools/emulator/board.ts";
import { fleetChipId } from "../tools/emulator/front/fleet.ts";
import type { BoardResult } from "../tools/ota/update.ts";
import { pacedBoard } from "./upload.ts";

/** A build folder like `from` with app.lua changed (a no-op first line) under `version`. */
export function changedBuild(from: string, to: string, version: string, line: string): string {
  cpSync(from, to, { recursive: true });
  const app = Buffer.concat([Buffer.from(`${line}\n`), readFileSync(join(to, "app.lua"))]);
  writeFileSync(join(to, "app.lua"), app);
  const manifest = JSON.parse(readFileSync(join(to, "manifest.json"), "utf8")) as {
    version: string;
    files: { name: string; bytes: number; sha256?: string }[];
  };
  for (const f of manifest.files)
    if (f.name === "app.lua")
      Object.assign(f, { bytes: app.length, sha256: createHash("sha256").update(app).digest("hex") });
  writeFileSync(join(to, "manifest.json"), JSON.stringify({ ...manifest, version }, null, 2));
  return to;
}

interface Run {
  code: number;
  stdout: string;
  seconds: number;
  /** Peak resident memory of the command, KiB (process.resourceUsage().maxRSS). */
  maxRssKiB: number;
}

/** Runs the mcu bundle, reporting its wall time and peak memory, without blocking this process's boards. */
function mcu(root: string, args: string[]): Promise<Run> {
  const report =
    "data:text/javascript,process.on('exit',()=>process.stderr.write('\\nmaxrss '+process.resourceUsage().maxRSS+'\\n'))";
  const t0 = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", report, join(root, "dist", "mcu.js"), ...args], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => {
      const seconds = (performance.now() - t0) / 1000;
      if (code !== 0) process.stderr.write(`bench: mcu ${args[0]} exited ${code}: ${stderr.slice(-500)}\n`);
      resolve({ code: code ?? 1, stdout, seconds, maxRssKiB: Number(/maxrss (\d+)/.exec(stderr)?.[1] ?? 0) });
    });
  });
}

async function until(what: string, ok: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`bench: ${what} within ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface OtaVsSerial {
  /** Seconds from the command's start to the board online running the change, per run. */
  ota: number[];
  serial: number[];
}

/**
 * One emulated board (strict, aged filesystem, console at 115200 baud) flashed over serial with
 * `build` (built with "ota"); then, `runs` times, a change to app.lua by ./flash.sh and another by
 * mcu ota, each timed until the board is online again running it.
 */
export async function otaVsSerial(
  root: string,
  build: string,
  id: string,
  brokerUrl: string,
  tmp: string,
  runs: number,
): Promise<OtaVsSerial> {
  const b = pacedBoard();
  let out = "";
  b.board.on("output", (d: Buffer) => (out += d.toString("latin1")));
  const connects = () => out.split("mqtt: connected").length - 1;
  const result: OtaVsSerial = { ota: [], serial: [] };
  try {
    const first = await mcu(root, ["flash", "--port", b.link, "--out", build, "--no-build", "--no-monitor", "--all"]);
    if (first.code !== 0) throw new Error("bench: the first serial flash failed");
    await until("the board online after the first flash", () => connects() >= 1, 60000);
    for (let i = 0; i < runs; i++) {
      const viaSerial = changedBuild(build, join(tmp, `serial${i}`), `0.0.0+s${i}`, `local _serial${i}=1`);
      const before = connects();
      const t0 = performance.now();
      const s = await mcu(root, ["flash", "--port", b.link, "--out", viaSerial, "--no-build", "--no-monitor"]);
      if (s.code !== 0) throw new Error("bench: a serial flash failed");
      await until("the board online after the serial flash", () => connects() > before, 60000);
      result.serial.push((performance.now() - t0) / 1000);
      // mcu ota waits for the board's online status with the new version itself.
      const viaOta = changedBuild(build, join(tmp, `ota${i}`), `0.0.0+o${i}`, `local _ota${i}=1`);
      const o = await mcu(root, ["ota", "--device", id, "--build", viaOta, "--broker", brokerUrl, "--json"]);
      const [r] = JSON.parse(o.stdout) as BoardResult[];
      if (o.code !== 0 || r?.outcome !== "updated") throw new Error(`bench: mcu ota failed: ${r?.error}`);
      result.ota.push(o.seconds);
    }
    return result;
  } finally {
    b.close();
  }
}

export interface OtaFleet {
  boards: number;
  updated: number;
  seconds: number;
  /** Peak memory of the mcu ota process, MiB. */
  updaterMiB: number;
  /** Host memory per emulated board (this process), KiB: context, not the updater's. */
  kibPerBoard: number;
}

/**
 * n boards, each with its own copy of `build` (built with "ota" and no id, so each takes its chip
 * id), online on the broker; then one `mcu ota --parallel P --canary K` of a change to app.lua.
 */
export async function otaFleet(
  root: string,
  build: string,
  n: number,
  brokerUrl: string,
  tmp: string,
  parallel: number,
  canary: number,
): Promise<OtaFleet> {
  const ids = Array.from({ length: n }, (_, i) => defaultId(fleetChipId(i).toString(16).padStart(6, "0")));
  global.gc?.();
  const before = process.memoryUsage().rss;
  let online = 0;
  const boards = ids.map((_, i) => {
    const flashDir = join(tmp, `board${i}`);
    mkdirSync(flashDir, { recursive: true });
    for (const f of (JSON.parse(readFileSync(join(build, "manifest.json"), "utf8")) as { files: { name: string }[] })
      .files)
      cpSync(join(build, f.name), join(flashDir, f.name));
    const b = new Board({ flashDir, chipId: fleetChipId(i), ip: `10.42.${i >> 8}.${(i & 255) + 1}` });
    let seen = false;
    b.on("output", (d: Buffer) => {
      if (!seen && d.toString("latin1").includes("mqtt: connected")) {
        seen = true;
        online++;
      }
    });
    return b;
  });
  try {
    for (const b of boards) b.boot();
    await until(`${n} boards online`, () => online === n, 60000 + n * 100);
    const kibPerBoard = (process.memoryUsage().rss - before) / 1024 / n;
    const change = changedBuild(build, join(tmp, "fleet-change"), "0.0.0+fleet", "local _fleet=1");
    const r = await mcu(root, [
      "ota",
      "--devices",
      ids.join(","),
      "--build",
      change,
      "--parallel",
      String(parallel),
      "--canary",
      String(canary),
      "--json",
      "--broker",
      brokerUrl,
    ]);
    const results = JSON.parse(r.stdout || "[]") as BoardResult[];
    return {
      boards: n,
      updated: results.filter((x) => x.outcome === "updated").length,
      seconds: r.seconds,
      updaterMiB: r.maxRssKiB / 1024,
      kibPerBoard,
    };
  } finally {
    for (const b of boards) b.powerOff();
  }
}
