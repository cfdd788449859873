// node: the chip, the Lua VM and the task queue.
/** @noSelf */
declare namespace node {
  /** Free heap in bytes. */
  function heap(): number;
  /** The chip id (the MAC's last three bytes as a number). */
  function chipid(): number;
  /** The flash chip's id. */
  function flashid(): number;
  /** Flash size in bytes. */
  function flashsize(): number;
  /** Restarts the chip; Lua state is lost, RTC memory survives. */
  function restart(): void;
  /** Compiles x.lua on the board into x.lc (stripped of debug info). */
  function compile(filename: string): void;
  /** Why the chip booted: raw code, reason (0 power-on, 1 hw watchdog, 2 exception, 3 soft watchdog, 4 software restart, 5 deep-sleep wake, 6 external reset), and exception details. */
  function bootreason(): LuaMultiReturn<[number, number, ...number[]]>;
  /** Deep sleep for us microseconds (0 = until reset). */
  function dsleep(us?: number, option?: number, instant?: number): void;
  /** The longest deep sleep the chip allows, in microseconds. */
  function dsleepMax(): number;
  /** Feeds a line to the Lua interpreter as if typed. */
  function input(line: string): void;
  /** Redirects console output to fn (a pipe); serialDebug 1 keeps it on the UART too. */
  function output(fn: ((this: void, pipe: unknown) => void) | undefined, serialDebug?: 0 | 1): void;
  /** Sets the handler for errors caught in callbacks; none restores print-and-restart. */
  function setonerror(fn?: (this: void, message: string) => void): void;
  /** Debug-info level kept by the compiler: 1 all, 2 no locals, 3 no line info. */
  function stripdebug(level?: 1 | 2 | 3, fn?: Function): number;
  /** A random number like math.random, from the hardware generator. */
  function random(m?: number, n?: number): number;
  /** Sets the CPU clock (node.CPU80MHZ or node.CPU160MHZ). */
  function setcpufreq(mhz: number): number;
  /** The CPU clock in MHz. */
  function getcpufreq(): number;
  /** Erases the system configuration in flash (Wi-Fi settings and so on). */
  function restore(): void;
  /** Startup options: banner, frequency, delay_mount, command. */
  function startup(opts?: { banner?: boolean; frequency?: number; delay_mount?: boolean; command?: string }): {
    banner?: boolean;
    frequency?: number;
    delay_mount?: boolean;
    command?: string;
  };
  /** Build and chip facts by group. */
  function info(group: "hw"): {
    chip_id: number;
    flash_id: number;
    flash_size: number;
    flash_mode: number;
    flash_speed: number;
  };
  function info(group: "sw_version"): {
    git_branch: string;
    git_commit_id: string;
    git_release: string;
    git_commit_dts: string;
    node_version_major: number;
    node_version_minor: number;
    node_version_revision: number;
  };
  function info(group: "build_config"): {
    ssl: boolean;
    lfs_size: number;
    modules: string;
    number_type: "float" | "integer" | "double";
  };
  function info(group: "lfs"): { lfs_base: number; lfs_mapped: number; lfs_size: number; lfs_used: number };
  /** A module in LFS, or nil (the 2.x name of node.LFS.get). */
  function flashindex(name: string): ((this: void) => unknown) | undefined;
  /** Flashes an LFS image and restarts (the 2.x name of node.LFS.reload); an error string on failure. */
  function flashreload(image: string): string | undefined;
  /** The flash layout: LFS and SPIFFS base addresses and sizes in bytes. */
  function getpartitiontable(): { lfs_addr: number; lfs_size: number; spiffs_addr: number; spiffs_size: number };
  /** Changes the flash layout (addresses and sizes in bytes); restarts the chip when it changed. */
  function setpartitiontable(info: {
    lfs_addr?: number;
    lfs_size?: number;
    spiffs_addr?: number;
    spiffs_size?: number;
  }): void;
  /** Turns the SDK's debug output on or off (firmware built with DEVELOPMENT_TOOLS). */
  function osprint(enabled: boolean): void;
  /** Light sleep until an interrupt on wake_pin (1–12); firmware built with PMSLEEP_ENABLE. */
  function sleep(cfg: {
    wake_pin: number;
    int_type?: number;
    resume_cb?: (this: void) => void;
    preserve_mode?: boolean;
  }): void;
  /** Replaces init.lua at boot: "@file" runs a file, "=chunk" runs code; false if it could not be saved. Deprecated: node.startup({command}). */
  function startupcommand(command: string): boolean;
  /** CPU cycles at each step of boot, after adding a marker if given (firmware built with PLATFORM_STARTUP_COUNT). */
  function startupcounts(marker?: string): Array<{ [key: string]: string | number }>;
  /** node.sleep wake on a rising edge. */
  const INT_UP: number;
  /** node.sleep wake on a falling edge. */
  const INT_DOWN: number;
  /** node.sleep wake on both edges. */
  const INT_BOTH: number;
  /** node.sleep wake on a low level (default). */
  const INT_LOW: number;
  /** node.sleep wake on a high level. */
  const INT_HIGH: number;
  /** 80 MHz CPU clock. */
  const CPU80MHZ: 80;
  /** 160 MHz CPU clock. */
  const CPU160MHZ: 160;

  /** The task queue: callbacks run after the current one finishes. */
  namespace task {
    /** Queues fn to run with the given priority (default medium). */
    function post(fn: (this: void, priority: number) => void): void;
    function post(priority: number, fn: (this: void, priority: number) => void): void;
    /** Lowest task priority. */
    const LOW_PRIORITY: 0;
    /** Default task priority. */
    const MEDIUM_PRIORITY: 1;
    /** Highest task priority. */
    const HIGH_PRIORITY: 2;
  }

  /** The emergency garbage collector. */
  namespace egc {
    /** Chooses when the emergency collector runs. */
    function setmode(mode: number, level?: number): void;
    /** Bytes allocated and estimated in use. */
    function meminfo(): LuaMultiReturn<[number, number]>;
    /** Never collect in an emergency. */
    const NOT_ACTIVE: number;
    /** Collect when an allocation fails. */
    const ON_ALLOC_FAILURE: number;
    /** Collect when usage passes the limit. */
    const ON_MEM_LIMIT: number;
    /** Collect before every allocation. */
    const ALWAYS: number;
  }

  /** The Lua Flash Store. */
  namespace LFS {
    /** A module stored in LFS, or nil. */
    function get(name: string): ((this: void) => unknown) | undefined;
    /** Names of the modules in LFS, or nil without LFS. */
    function list(): string[] | undefined;
    /** Flashes an LFS image from SPIFFS and restarts; returns an error string on failure. */
    function reload(image: string): string | undefined;
  }
}
