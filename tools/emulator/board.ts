// One emulated NodeMCU board: a Lua 5.1 state running the firmware from its flash folder, the
// NodeMCU modules (runtime.ts), a modelled heap, timers, RTC memory and the serial console.
// Every callback runs to completion before the next, as on the device: all entries into Lua go
// through one queue.
import { EventEmitter } from "node:events";
import { LuaVm, luaLiteral, type LuaState, type LuaValue } from "../lua/vm.ts";
import { Console } from "./console.ts";
import { Flash } from "./flash.ts";
import { Network } from "./network.ts";
import { RUNTIME } from "./runtime.ts";

/** A typical build with what our firmware needs; `encoder` is absent unless asked for, as on many boards. */
export const DEFAULT_MODULES = ["bit", "file", "gpio", "mqtt", "net", "node", "rtcmem", "sjson", "tmr", "uart", "wifi"];
/** Free heap a NodeMCU 3.x build leaves at boot (docs/lfs.md: "typically 44 Kb"). */
export const DEFAULT_HEAP = 44_000;

export interface BoardOptions {
  flashDir: string;
  chipId?: number;
  heap?: number;
  modules?: string[];
  /** The simulated access point (default ssid "emulated", psk "nodemcu-emulator"). */
  ssid?: string;
  psk?: string;
  /** The board's address on it. */
  ip?: string;
}

/** The ROM bootloader talks at 74880 baud; read at 115200 it is noise like this. */
const ROM_NOISE = Buffer.from([0x20, 0x0c, 0x83, 0xa2, 0x9e, 0x12, 0x02, 0x6c, 0xdb, 0x8e, 0x0c, 0x8c, 0x72, 0x63, 0x9c, 0xe2, 0x9c, 0x0c, 0x63, 0x84, 0x70, 0x73, 0x0c, 0x0c, 0x6e, 0xe0, 0x0c, 0x1c, 0x62, 0x0c]);

/** bootreason codes (rawcode, reason) per docs/modules/node.md. */
const BOOT_POWER_ON: [number, number] = [1, 0];
const BOOT_SOFTWARE: [number, number] = [2, 4];
const BOOT_EXCEPTION: [number, number] = [2, 2];

export class Board extends EventEmitter {
  readonly flash: Flash;
  readonly chipId: number;
  readonly heapBudget: number;
  readonly modules: string[];
  readonly console: Console;
  readonly network: Network;
  private lua: LuaState | undefined;
  private baseline = 0;
  private readonly rtc = new Array<number>(128).fill(0);
  /** Pin levels by NodeMCU index, as the firmware drives them. */
  readonly gpio = new Map<number, number>();
  private readonly timers = new Map<number, NodeJS.Timeout>();
  private queue: (() => void)[] = [];
  private running = false;
  private bootedAt = 0;
  private reason: [number, number] = BOOT_POWER_ON;
  private restartPending = false;
  private generation = 0;

  constructor(opts: BoardOptions) {
    super();
    this.flash = new Flash(opts.flashDir);
    this.chipId = opts.chipId ?? 0x00c0ffee;
    this.heapBudget = opts.heap ?? DEFAULT_HEAP;
    this.modules = opts.modules ?? DEFAULT_MODULES;
    this.console = new Console(
      (bytes) => this.emit("output", bytes),
      (line) => this.enqueue(() => this.console.execute(line, (chunk) => this.replLine(chunk))),
      (data) => this.enqueue(() => this.callback(`__E.data(${luaLiteral(data)})`)),
    );
    this.network = new Network(
      { run: (code) => this.enqueue(() => this.callback(code)) },
      { ssid: opts.ssid ?? "emulated", psk: opts.psk ?? "nodemcu-emulator", ip: opts.ip ?? "192.168.4.2" },
    );
    for (let i = 0; i < this.rtc.length; i++) this.rtc[i] = (Math.random() * 2 ** 32) >>> 0; // noise after power-on
  }

  /** Powers the board on (or restarts it): ROM noise, banner, init.lua, then the prompt. */
  boot(): void {
    this.shutdown();
    this.generation++;
    this.bootedAt = performance.now();
    this.console.reset();
    this.emit("boot", this.reason);
    this.emit("output", ROM_NOISE);
    const vm = LuaVm.shared();
    this.lua = vm.newState({ onPrint: (line) => this.console.print(line + "\n"), onSys: (name, args) => this.sys(name, args) });
    const r = this.lua.exec(RUNTIME, "=runtime");
    if (!r.ok) throw new Error(`emulator runtime failed to load: ${r.error}`);
    this.lua.exec('collectgarbage("collect")');
    this.baseline = this.lua.memoryBytes();
    this.lua.exec(`__E.limit(${this.baseline + this.heapBudget})`, "=limit");
    this.console.print(this.banner());
    this.enqueue(() => this.callback("__E.boot()"));
    this.enqueue(() => this.console.prompt(false));
  }

  /** Cuts the power: Lua state, timers and open files are gone; RTC memory is not kept. */
  powerOff(): void {
    this.shutdown();
    this.reason = BOOT_POWER_ON;
  }

  /**
   * The access point vanishes for `ms` (or until wifiReturn()): STA_DISCONNECTED, and the board's
   * TCP links die on its side while the broker hears nothing until its keepalive runs out.
   */
  wifiDrop(ms?: number): void {
    this.network.drop(ms);
  }

  /** Ends a wifiDrop() early, or one without a duration. */
  wifiReturn(): void {
    this.network.restore();
  }

  private shutdown(): void {
    this.network.shutdown();
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.queue = [];
    this.flash.closeAll();
    this.lua?.close();
    this.lua = undefined;
  }

  private banner(): string {
    return (
      "\nNodeMCU 3.0.0.0 \n\tbranch: release\n\tcommit: 0000000000000000000000000000000000000000\n" +
      "\trelease: 3.0.0-release_emulated\n\trelease DTS: 202402250000\n\tSSL: false\n\tbuild type: float\n" +
      `\tLFS: 0x0 bytes total capacity\n\tmodules: ${[...this.modules].sort().join(",")}\n` +
      " build 2024-02-25 00:00 powered by Lua 5.1.4 on SDK 3.0.1-dev(fce080e)\n"
    );
  }

  /** Free heap as node.heap() reports it: the budget less what the firmware's Lua holds. */
  heap(): number {
    if (!this.lua) return this.heapBudget;
    // NodeMCU's emergency GC (EGC_ALWAYS) keeps the heap close to what is live.
    this.lua.exec('collectgarbage("collect")', "=heap");
    return Math.max(0, this.heapBudget - (this.lua.memoryBytes() - this.baseline));
  }

  /** RTC memory slot, for tests. */
  rtcmem(slot: number): number {
    return this.rtc[slot]!;
  }

  /** Serial bytes into the board (what a terminal or uploader sends). */
  input(bytes: Buffer | string): void {
    this.console.input(typeof bytes === "string" ? Buffer.from(bytes, "latin1") : bytes);
  }

  // Entries into Lua run one at a time, in order, each to completion.
  private enqueue(job: () => void): void {
    this.queue.push(job);
    if (!this.running) {
      this.running = true;
      setImmediate(() => this.drain());
    }
  }

  private drain(): void {
    const gen = this.generation;
    while (this.queue.length > 0 && this.lua && gen === this.generation && !this.restartPending) this.queue.shift()!();
    this.running = false;
    if (this.restartPending && gen === this.generation) {
      this.restartPending = false;
      setImmediate(() => this.boot());
    }
  }

  private restart(reason: [number, number]): void {
    this.reason = reason;
    this.restartPending = true;
  }

  private panic(message: string): void {
    // NodeMCU's panic handler, then the watchdog resets the chip.
    this.console.print(`PANIC: unprotected error in call to Lua API (${message})\n`);
    this.emit("panic", message);
    this.restart(BOOT_EXCEPTION);
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

  private arm(id: number, ms: number): void {
    clearTimeout(this.timers.get(id));
    const t = setTimeout(() => {
      this.timers.delete(id);
      this.enqueue(() => this.callback(`__E.fire(${id})`));
    }, ms);
    this.timers.set(id, t);
  }

  private sys(name: string, args: Buffer[]): LuaValue | LuaValue[] {
    const s = (i: number) => args[i]!.toString("latin1");
    const n = (i: number) => Number(s(i));
    switch (name) {
      case "out":
        return void this.console.print(args[0]!.toString("latin1"));
      case "raw":
        return void this.emit("output", args[0]!);
      case "heap":
        return this.heap();
      case "chipid":
        return this.chipId;
      case "now":
        return Math.floor((performance.now() - this.bootedAt) * 1000) % 2 ** 31;
      case "bootreason":
        return this.reason;
      case "restart":
        return void this.restart(BOOT_SOFTWARE);
      case "restart_later": {
        const gen = this.generation;
        setTimeout(() => gen === this.generation && this.enqueue(() => this.restart(BOOT_SOFTWARE)), n(0));
        return null;
      }
      case "panic":
        return void this.panic(s(0));
      case "modules":
        return this.modules;
      case "task":
        return void this.enqueue(() => this.callback(`__E.task(${n(0)}, ${n(1)})`));
      case "input":
        return void this.console.input(args[0]!);
      case "tmr_arm":
        return void this.arm(n(0), n(1));
      case "tmr_disarm":
        clearTimeout(this.timers.get(n(0)));
        this.timers.delete(n(0));
        return null;
      case "rtc_read":
        return this.rtc[n(0)] ?? 0;
      case "rtc_write":
        this.rtc[n(0)] = n(1) >>> 0;
        return null;
      case "gpio_mode":
        return null;
      case "gpio_write":
        this.gpio.set(n(0), n(1) === 0 ? 0 : 1);
        return null;
      case "gpio_read":
        return this.gpio.get(n(0)) ?? 0;
      case "encoder":
        return encode(s(0), args[1]!);
      case "sjson_decode":
        return sjsonDecode(args[0]!.toString("utf8"));
      case "echo":
        this.console.echo = s(0) === "true";
        return null;
      case "baud":
        return null;
      case "uart_on":
        this.console.capture(args.length === 0 ? undefined : { count: s(0), runInput: n(1) !== 0 });
        return null;
      default:
        return /^(wifi|mqtt|net)_/.test(name) ? this.network.sys(name, args) : this.fileSys(name, args);
    }
  }

  private fileSys(name: string, args: Buffer[]): LuaValue | LuaValue[] {
    const f = this.flash;
    const s = (i: number) => args[i]!.toString("latin1");
    const n = (i: number) => Number(s(i));
    switch (name) {
      case "fopen":
        return f.open(s(0), s(1));
      case "fclose":
        return void f.close(n(0));
      case "fread":
        return f.read(n(0), n(1));
      case "freadto":
        return f.readTo(n(0), args[1]![0]!);
      case "fwrite":
        return f.write(n(0), args[1]!);
      case "fseek":
        return f.seek(n(0), s(1), n(2));
      case "flist":
        // Names are bytes: as Buffers they reach Lua unchanged, where a string would go as UTF-8.
        return f.list().flatMap(([name, size]) => [Buffer.from(name, "latin1"), size]);
      case "fremove":
        return void f.remove(s(0));
      case "frename":
        return f.rename(s(0), s(1));
      case "fexists":
        return f.size(s(0)) !== null;
      case "fsize":
        return f.size(s(0));
      case "fsinfo":
        return [f.totalBytes - f.usedBytes(), f.usedBytes(), f.totalBytes];
      case "fformat":
        return void f.format();
      default:
        throw new Error(`emulator: Lua asked for an unknown service "${name}"`);
    }
  }
}

/** JSON as a Lua chunk building the value (null is the upvalue N), or sjson's error message. */
function sjsonDecode(text: string): [string | null, string | null] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const incomplete = /end of JSON input/.test((err as Error).message);
    return [null, incomplete ? "Incomplete JSON object passed to sjson.decode" : `JSON parse error: ${(err as Error).message}`];
  }
  const lua = (v: unknown): string => {
    if (v === null) return "N";
    if (Array.isArray(v)) return "{" + v.map(lua).join(",") + "}";
    if (typeof v === "object") return "{" + Object.entries(v as object).map(([k, x]) => `[${luaLiteral(k)}]=${lua(x)}`).join(",") + "}";
    if (typeof v === "string") return luaLiteral(v);
    return String(v);
  };
  return ["return " + lua(value), null];
}

/** The encoder module's conversions, with its error messages for bad input. */
function encode(fn: string, data: Buffer): [Buffer | null, string | null] {
  const text = data.toString("latin1");
  switch (fn) {
    case "toBase64":
      return [Buffer.from(data.toString("base64")), null];
    case "toHex":
      return [Buffer.from(data.toString("hex")), null];
    case "fromBase64":
      return /^[A-Za-z0-9+/]*={0,2}$/.test(text) && text.length % 4 === 0 ? [Buffer.from(text, "base64"), null] : [null, "Invalid base64 string"];
    default:
      return /^([0-9a-fA-F]{2})*$/.test(text) ? [Buffer.from(text, "hex"), null] : [null, "Invalid hex string"];
  }
}
