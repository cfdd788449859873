// The CLI as a test runs it: a command to its end with its output kept, the mcu bundle, and
// ./flash.sh, each in a child process of its own.
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";

/** Makes sure dist/mcu.js exists (npm test builds it first; a lone test file may not have). */
export function mcuBin(): string {
  if (!existsSync("dist/mcu.js")) spawnSync(process.execPath, ["tools/cli/bundle.mjs"], { stdio: "inherit" });
  return "dist/mcu.js";
}

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  input?: Buffer | string;
  env?: NodeJS.ProcessEnv;
  /** The folder to run in (default: this process's). */
  cwd?: string;
  /** Gets a way to kill the process (SIGKILL) mid-run. */
  onSpawn?: (kill: () => void) => void;
  /** Sees standard output as it comes. */
  onStdout?: (soFar: string) => void;
}

/** Runs a command to its end; stdout is kept as latin1 so binary output survives byte for byte. */
export function run(cmd: string, args: string[], opts: RunOptions = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: { ...process.env, ...opts.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString("latin1");
      opts.onStdout?.(stdout);
    });
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.stdin.end(opts.input);
    opts.onSpawn?.(() => child.kill("SIGKILL"));
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Runs the mcu CLI (the bundle in dist/). */
export function mcu(args: string[], opts: RunOptions = {}): Promise<Run> {
  return run(process.execPath, [resolve(mcuBin()), ...args], opts);
}

/** Runs ./flash.sh itself, the script users run. */
export function flashSh(args: string[], opts: RunOptions = {}): Promise<Run> {
  return run("bash", [resolve("flash.sh"), ...args], opts);
}
