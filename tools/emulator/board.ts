// One emulated NodeMCU board: a Lua 5.1 state running the firmware from its flash folder, the
// NodeMCU modules (runtime/runtime.ts lists them; each has its folder under nodemcu/ with its Lua
// half and its host half), a modelled heap and the serial console.
// Every callback runs to completion before the next, as on the device: all entries into Lua go
// through one queue.
import { EventEmitter } from "node:events";
import { type ExecResult, type LuaState, LuaVm, luaLiteral } from "../lua/vm.ts";
import { inBuildOrder, type NumberType, RECOMMENDED_BUILD } from "../nodemcu/builds.ts";
import { Peripherals } from "./hardware/peripherals.ts";
import { Console } from "./machine/console.ts";
import { CpuClock } from "./machine/cpu-clock.ts";
import { Flash } from "./machine/flash.ts";
import { FLASH_TIMINGS } from "./machine/flash-timing.ts";
import { DEFAULT_BAUD, UartRx } from "./machine/uart-rx.ts";
import {
  BOOT,
  type BoardContext,
  type BoardOptions,
  type BootReason,
  dispatch,
  type HostHalf,
  type HostHalves,
  type HostModule,
  type HostModules,
} from "./runtime/host-half.ts";
import { PARTS, RUNTIME } from "./runtime/runtime.ts";

export type { BoardOptions };

/** The build README.md recommends (tools/nodemcu/builds.ts); NodeMCU's own default lacks rtcmem and sjson. */
export const DEFAULT_MODULES: readonly string[] = RECOMMENDED_BUILD;
/**
 * How long one job may hold the CPU before the board says it is stuck ("stuck"): this process
 * serves no signal or socket until the job ends, at the latest at the watchdog.
 */
const STUCK_MS = 1000;
/** How long the board runs jobs back to back before the host's event loop gets a turn. */
const DRAIN_SLICE_MS = 50;
/** Free heap a NodeMCU 3.x build leaves at boot (docs/lfs.md: "typically 44 Kb"). */
export const DEFAULT_HEAP = 44_000;

/** One entry into Lua: `due` is when it became due on the board's clock; `input` marks work the serial input task queued. */
interface Job {
  run: () => void;
  due: number;
  input: boolean;
}

/** The ROM bootloader talks at 74880 baud; read at 115200 it is noise like this. */
const ROM_NOISE = Buffer.from([
  0x20, 0x0c, 0x83, 0xa2, 0x9e, 0x12, 0x02, 0x6c, 0xdb, 0x8e, 0x0c, 0x8c, 0x72, 0x63, 0x9c, 0xe2, 0x9c, 0x0c, 0x63,
  0x84, 0x70, 0x73, 0x0c, 0x0c, 0x6e, 0xe0, 0x0c, 0x1c, 0x62, 0x0c,
]);

/** How long a Lua panic's spin (BOOT.softWdt) lasts: the ESP8266 SDK's software watchdog, about 3 s (nodemcu-board-limits.md). */
export const DEFAULT_WATCHDOG_MS = 3000;

export class Board extends EventEmitter {
  readonly flash: Flash;
  readonly chipId: number;
  readonly heapBudget: number;
  readonly modules: readonly string[];
  readonly ssl: boolean;
  readonly numberType: NumberType;
  readonly console: Console;
  /** The serial receive path: its counters say what a real board would have lost. */
  readonly rx: UartRx;
  private readonly clock = new CpuClock();
  /** Pin levels by NodeMCU index, as the firmware drives them. */
  readonly gpio: Map<number, number>;
  /** The hardware around the board: inputs the host drives, sensors it attaches, outputs it reads. */
  readonly io: Peripherals;
  private lua: LuaState | undefined;
  private baseline = 0;
  /** Heap the C modules hold (mqtt's queued packets), since boot. */
  private cHeap = 0;
  /**
   * The lowest free heap since boot at the moments a C module took heap (the mqtt queue growing:
   * a burst's worst point), after the garbage collection NodeMCU's emergency GC would have done.
   */
  heapLow = Number.POSITIVE_INFINITY;
  /** Every module's host half, by module name, built from the list in runtime.ts. */
  private readonly halves: HostHalves;
  /** Their calls, and the prelude's, by module name, for dispatch(). */
  private readonly host: HostModules;
  private queue: Job[] = [];
  private running = false;
  private drainTimer: NodeJS.Timeout | undefined;
  /** When the running job began (performance.now()), for the software watchdog; undefined between jobs. */
  private jobStarted: number | undefined;
  /** The watchdog fired: the running job is being unwound, and the chip resets. */
  private overrun = false;
  /** A job has held the CPU past STUCK_MS ("stuck" was emitted; "unstuck" follows when it ends). */
  private stuck = false;
  /** Lua work the input task queued that has not run yet: the task waits for it. */
  private inputJobs = 0;
  /** Set while the input task hands a byte on: the board time that byte arrived. */
  private inputAt: number | undefined;
  /** Output stamped later than now on the board's clock waits until then. */
  private held: { at: number; bytes: Buffer }[] = [];
  private heldTimer: NodeJS.Timeout | undefined;
  private reason: BootReason = BOOT.powerOn;
  private restartPending = false;
  /** The reset that follows a restart or a panic, once it is scheduled. */
  private resetTimer: NodeJS.Timeout | undefined;
  private resetAfterMs = 0;
  private readonly watchdogMs: number;
  private generation = 0;
  private bootedAt = 0;

  constructor(opts: BoardOptions) {
    super();
    this.flash = new Flash(opts.flashDir, {
      timing: FLASH_TIMINGS[opts.flashTiming ?? "typical"],
      aged: opts.flashAged,
      busy: (ms) => this.clock.stall(ms),
    });
    this.chipId = opts.chipId ?? 0x00c0ffee;
    this.heapBudget = opts.heap ?? DEFAULT_HEAP;
    this.watchdogMs = opts.watchdogMs ?? DEFAULT_WATCHDOG_MS;
    this.modules = inBuildOrder(opts.modules ?? DEFAULT_MODULES);
    this.ssl = opts.ssl ?? false;
    this.numberType = opts.numberType ?? "float";
    this.console = new Console(
      (bytes) => this.output(bytes),
      (line) => this.enqueue(() => this.console.execute(line, (chunk) => this.replLine(chunk))),
      (data) => this.enqueue(() => this.callback(`__E.data(${luaLiteral(data)})`)),
    );
    this.rx = new UartRx(this.clock, (byte, t) => this.inputTask(byte, t), opts.baud ?? DEFAULT_BAUD);
    const halves: Record<string, HostHalf> = {};
    const context = this.context(opts, halves);
    for (const part of PARTS) if (part.host) halves[part.name] = part.host(context);
    // Complete now: each module's file declares its entry in HostHalves, and the list builds it.
    this.halves = halves as unknown as HostHalves;
    this.host = {
      runtime: this.prelude(),
      ...Object.fromEntries(Object.entries(halves).map(([name, half]) => [name, half.calls])),
    };
    this.gpio = this.halves.gpio.levels;
    this.io = new Peripherals({ ...this.halves, now: () => this.clock.now() });
  }

  /** What the board offers the host halves; `halves` is filled once all are built. */
  private context(opts: BoardOptions, halves: Record<string, HostHalf>): BoardContext {
    return {
      options: opts,
      chipId: this.chipId,
      flash: this.flash,
      console: this.console,
      rx: this.rx,
      watchdogMs: this.watchdogMs,
      call: (code) => this.enqueue(() => this.callback(code)),
      run: (job) => this.enqueue(job),
      callNow: (code) => this.callNow(code),
      output: (bytes) => this.output(bytes),
      now: () => this.clock.now(),
      micros: () => Math.floor((this.clock.now() - this.bootedAt) * 1000),
      heap: { free: () => this.heap(), take: (n) => this.heapTake(n), give: (n) => this.heapGive(n) },
      bootReason: () => this.reason,
      restart: (reason, afterMs) => this.restart(reason, afterMs),
      host: (name) => halves[name] as unknown as HostHalves[typeof name],
    };
  }

  /** The prelude's host half (runtime/runtime.lua): print, errors in callbacks, and the build: its modules, SSL and number type. */
  private prelude(): HostModule {
    return {
      // Nothing the dying job prints after the watchdog fired reaches the UART.
      print: (a) => void (this.overrun || this.console.print(a.text(0))),
      overrun: () => this.checkWatchdog(),
      feed: () => {
        if (this.jobStarted !== undefined) this.jobStarted = performance.now();
      },
      panic: (a) => void this.panic(a.text(0)),
      restartLater: (a) => {
        const gen = this.generation;
        setTimeout(() => gen === this.generation && this.enqueue(() => this.restart(BOOT.software)), a.number(0));
      },
      modules: () => [...this.modules],
      build: () => [this.ssl, this.numberType],
    };
  }

  /** Powers the board on (or restarts it): ROM noise, banner, init.lua, then the prompt. */
  boot(): void {
    this.shutdown();
    this.generation++;
    this.overrun = false;
    this.bootedAt = this.clock.now();
    for (const half of Object.values(this.halves)) half.boot?.();
    this.console.reset();
    this.rx.reset();
    this.emit("boot", this.reason);
    this.output(ROM_NOISE);
    const vm = LuaVm.shared();
    this.lua = vm.newState({
      onPrint: (line) => this.console.print(line + "\n"),
      onSys: (call, args) => dispatch(this.host, call, args),
    });
    for (const chunk of RUNTIME) {
      const r = this.lua.exec(chunk.source, chunk.name);
      if (!r.ok) throw new Error(`emulator runtime failed to load: ${r.error}`);
    }
    this.lua.exec('collectgarbage("collect")');
    this.baseline = this.lua.memoryBytes();
    this.cHeap = 0;
    this.heapLow = Number.POSITIVE_INFINITY;
    this.setLuaLimit();
    // node.startup{banner=false} (app/lua53/lua.c:235).
    if (Number(this.halves.sysparam.get("rcr.startup") ?? 0) % 2 === 0) this.console.print(this.banner());
    this.enqueue(() => this.callback("__E.boot()"));
    this.enqueue(() => this.console.prompt(false));
  }

  /** Cuts the power: Lua state, timers and open files are gone; RTC memory is not kept. */
  powerOff(): void {
    this.shutdown();
    this.rx.close();
    clearTimeout(this.heldTimer);
    this.heldTimer = undefined;
    this.held = [];
    this.reason = BOOT.powerOn;
  }

  /**
   * The access point vanishes for `ms` (or until wifiReturn()): STA_DISCONNECTED, and the board's
   * TCP links die on its side while the broker hears nothing until its keepalive runs out.
   */
  wifiDrop(ms?: number): void {
    this.halves.wifi.drop(ms);
  }

  /** Ends a wifiDrop() early, or one without a duration. */
  wifiReturn(): void {
    this.halves.wifi.restore();
  }

  private shutdown(): void {
    clearTimeout(this.resetTimer);
    this.resetTimer = undefined;
    this.restartPending = false;
    for (const half of Object.values(this.halves)) half.shutdown?.();
    this.queue = [];
    clearTimeout(this.drainTimer);
    this.running = false;
    this.inputJobs = 0;
    this.clock.reset();
    this.flash.closeAll();
    this.lua?.close();
    this.lua = undefined;
  }

  // As print_version (app/lua53/lua.c:111-114) prints NODE_VERSION_LONG (tools/update_buildinfo.sh:56-65).
  private banner(): string {
    return (
      "\nNodeMCU 3.0.0.0 \n\tbranch: release\n\tcommit: 0000000000000000000000000000000000000000\n" +
      `\trelease: 3.0.0-release_emulated\n\trelease DTS: 202402250000\n\tSSL: ${this.ssl}\n\tbuild type: ${this.numberType}\n` +
      `\tLFS: 0 bytes total capacity\n\tmodules: ${this.modules.join(",")}\n` +
      " build 2024-02-25 00:00 powered by Lua 5.1.4 on SDK 3.0.1-dev(fce080e)\n"
    );
  }

  /** Free heap as node.heap() reports it: the budget less what the firmware's Lua and the C modules hold. */
  heap(): number {
    if (!this.lua) return this.heapBudget;
    // NodeMCU's emergency GC (EGC_ALWAYS) keeps the heap close to what is live.
    this.lua.exec('collectgarbage("collect")', "=heap");
    return Math.max(0, this.heapBudget - (this.lua.memoryBytes() - this.baseline) - this.cHeap);
  }

  /** A C module's malloc (the mqtt queue's copies): false when it does not fit, as malloc returns NULL. */
  private heapTake(bytes: number): boolean {
    const free = this.heap();
    if (free < bytes) return false;
    this.cHeap += bytes;
    this.heapLow = Math.min(this.heapLow, free - bytes);
    this.setLuaLimit();
    return true;
  }

  private heapGive(bytes: number): void {
    this.cHeap -= bytes;
    this.setLuaLimit();
  }

  /** Lua may grow into what the C modules leave free. */
  private setLuaLimit(): void {
    this.lua?.exec(`__E.limit(${this.baseline + this.heapBudget - this.cHeap})`, "=limit");
  }

  /** The host port behind a TCP or UDP port the board listens on (net.createServer, createUDPSocket), once bound. */
  netPort(kind: "tcp" | "udp", boardPort: number): number | undefined {
    return this.halves.net.hostPort(kind, boardPort);
  }

  /** RTC memory slot, for tests. */
  rtcmem(slot: number): number {
    return this.halves.rtcmem.slot(slot);
  }

  /** Serial bytes into the board (what a terminal or uploader sends), down the wire at the UART's speed. */
  input(bytes: Buffer | string): void {
    this.rx.receive(typeof bytes === "string" ? Buffer.from(bytes, "latin1") : bytes);
  }

  /** The input task hands one byte to the console; true when that queued Lua work. */
  private inputTask(byte: number, t: number): boolean {
    if (!this.lua) return false; // asleep or off: nothing reads the UART
    const before = this.inputJobs;
    this.inputAt = t;
    try {
      this.console.input(Buffer.of(byte));
    } finally {
      this.inputAt = undefined;
    }
    return this.inputJobs > before;
  }

  /** Console output leaves when the board's clock says it was written: after the flash work before it. */
  private output(bytes: Buffer): void {
    const at = this.clock.now();
    if (this.held.length === 0 && at <= performance.now()) {
      this.emit("output", bytes);
      return;
    }
    this.held.push({ at, bytes });
    if (!this.heldTimer) this.release();
  }

  private release(): void {
    this.heldTimer = undefined;
    const now = performance.now();
    while (this.held.length > 0 && this.held[0]!.at <= now) this.emit("output", this.held.shift()!.bytes);
    if (this.held.length > 0) this.heldTimer = setTimeout(() => this.release(), Math.max(1, this.held[0]!.at - now));
  }

  // Entries into Lua run one at a time, in order, each to completion.
  private enqueue(run: () => void): void {
    const input = this.inputAt !== undefined;
    if (input) this.inputJobs++;
    this.queue.push({ run, due: this.inputAt ?? performance.now(), input });
    if (!this.running) {
      this.running = true;
      setImmediate(() => this.drain());
    }
  }

  private drain(): void {
    this.drainTimer = undefined;
    const gen = this.generation;
    const started = performance.now();
    while (this.queue.length > 0 && this.lua && gen === this.generation && !this.restartPending) {
      // A flood keeps the queue full: hand the host its turn now and then, so that signals, sockets
      // and other boards are served (the board's own order of jobs is unchanged).
      if (performance.now() - started > DRAIN_SLICE_MS) {
        this.drainTimer = setTimeout(() => this.drain(), 0);
        return;
      }
      // Flash work of the last job holds the CPU: what comes next waits for it, in real time.
      const wait = this.clock.free - performance.now();
      if (wait >= 1) {
        this.drainTimer = setTimeout(() => this.drain(), wait);
        return;
      }
      const job = this.queue.shift()!;
      this.jobStarted = performance.now();
      this.clock.begin(job.due);
      job.run();
      this.clock.end();
      this.jobStarted = undefined;
      if (this.stuck) {
        this.stuck = false;
        this.emit("unstuck");
      }
      if (job.input && --this.inputJobs === 0) this.rx.resume();
    }
    this.running = false;
    if (this.restartPending && gen === this.generation && !this.resetTimer)
      this.resetTimer = setTimeout(() => this.boot(), this.resetAfterMs);
  }

  /**
   * The software watchdog: true (and the chip resets) once the running job has held the CPU past
   * watchdogMs without returning to the SDK. Host time, not the chip's: the emulator runs Lua far
   * faster than an 80 MHz ESP8266, so a loop a board resets in runs longer here (docs/emulator.md).
   */
  private checkWatchdog(): boolean {
    // Only a job the board runs can hold its CPU: the host's own calls between jobs (the heap it
    // reads, a test's exec) are not the firmware's.
    const ran = this.jobStarted === undefined ? 0 : performance.now() - this.jobStarted;
    if (ran > STUCK_MS && !this.stuck) {
      this.stuck = true;
      this.emit("stuck");
    }
    if (ran <= this.watchdogMs) return false;
    this.overrun = true;
    this.restart(BOOT.softWdt);
    return true;
  }

  /** Nothing more runs; the chip resets after `afterMs`. */
  private restart(reason: BootReason, afterMs = 0): void {
    this.reason = reason;
    this.restartPending = true;
    this.resetAfterMs = afterMs;
  }

  private panic(message: string): void {
    // The watchdog's unwinding raises through every frame; the chip is already resetting.
    if (this.overrun) return;
    // NodeMCU's panic handler, then the watchdog resets the chip.
    this.console.print(`PANIC: unprotected error in call to Lua API (${message})\n`);
    this.emit("panic", message);
    this.restart(BOOT.softWdt, this.watchdogMs);
  }

  /**
   * Runs a Lua chunk now, between jobs, as a callback into Lua would run (for tests that drive the
   * firmware's functions directly): its results, or the error, which panics the board as an error
   * escaping an MQTT callback does. Undefined while the board is off or resetting.
   */
  exec(code: string, nresults = 0): ExecResult | undefined {
    if (!this.lua || this.restartPending) return undefined;
    const r = this.lua.exec(code, "=exec", nresults);
    if (!r.ok) this.panic(r.error);
    return r;
  }

  /** Runs Lua inside the current job: false once the board has panicked (nothing more may run). */
  private callNow(code: string): boolean {
    if (!this.lua || this.restartPending) return false;
    this.callback(code);
    return !this.restartPending;
  }

  private callback(code: string): void {
    const r = this.lua!.exec(code, "=callback");
    if (!r.ok) this.panic(r.error);
  }

  private replLine(chunk: string): "more" | "done" {
    // The console holds typed bytes as latin1; as a string luaLiteral would re-encode them as UTF-8.
    const r = this.lua!.exec(`return __E.repl(${luaLiteral(Buffer.from(chunk, "latin1"))})`, "=repl", 1);
    if (!r.ok) {
      this.panic(r.error);
      return "done";
    }
    return r.values[0]!.toString() === "more" ? "more" : "done";
  }
}
