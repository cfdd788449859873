// NodeMCU firmware builds: the C modules a build can include, NodeMCU's default build, the build
// this project recommends (README.md names it; a test keeps the two the same) and the modules
// the uploader itself needs on the board. The emulator boots these builds; `mcu flash` checks a
// board's build against what the firmware needs before it uploads.

/**
 * Every module a NodeMCU 3.x build can select, in the order app/include/user_modules.h:10-84
 * lists them (LUA_USE_MODULES_<NAME>). The boot banner and node.info("build_config").modules
 * name a build's modules in that order (tools/update_buildinfo.sh:11).
 */
// biome-ignore format: one list, read against the header
export const NODEMCU_MODULES: readonly string[] = [
  "adc", "ads1115", "adxl345", "am2320", "apa102", "bit", "bloom", "bmp085", "bme280", "bme280_math", "bme680", "coap",
  "color_utils", "cron", "crypto", "dcc", "dht", "encoder", "enduser_setup", "file", "gdbstub", "gpio", "gpio_pulse",
  "hdc1080", "hmc5883l", "http", "hx711", "i2c", "l3g4200d", "mcp4725", "mdns", "mqtt", "net", "node", "ow", "pcm", "perf",
  "pipe", "pixbuf", "pwm", "pwm2", "rfswitch", "rotary", "rtcfifo", "rtcmem", "rtctime", "si7021", "sigma_delta", "sjson",
  "sntp", "softuart", "somfy", "spi", "struct", "switec", "tcs34725", "tm1829", "tls", "tmr", "tsl2561", "uart", "u8g2",
  "ucg", "websocket", "wiegand", "wifi", "wifi_monitor", "wps", "ws2801", "ws2812", "ws2812_effects", "xpt2046", "swtmr_dbg",
];

/** The modules app/include/user_modules.h enables as shipped: no rtcmem, no sjson. */
export const DEFAULT_BUILD: readonly string[] = [
  "adc",
  "bit",
  "dht",
  "file",
  "gpio",
  "i2c",
  "mqtt",
  "net",
  "node",
  "ow",
  "spi",
  "tmr",
  "uart",
  "wifi",
];

/**
 * What the uploader runs on the board: its helpers use file, tmr and uart (tools/serial/session.ts
 * HELPERS), and ./flash.sh's restart step node and rtcmem (tools/serial/flash.ts).
 */
export const UPLOADER_MODULES: readonly string[] = ["file", "node", "rtcmem", "tmr", "uart"];

/**
 * The build README.md tells users to make: what this firmware and its uploader use (the build
 * records the firmware's in manifest.json), plus gpio, net and sjson for code users add.
 */
export const RECOMMENDED_BUILD: readonly string[] = [
  "file",
  "gpio",
  "mqtt",
  "net",
  "node",
  "rtcmem",
  "sjson",
  "tmr",
  "uart",
  "wifi",
];

/** Named builds `mcu emulate --modules` takes besides a list. */
export const NAMED_BUILDS: Readonly<Record<string, readonly string[]>> = {
  default: DEFAULT_BUILD,
  recommended: RECOMMENDED_BUILD,
};

/** A build's number type as its banner says it (tools/update_buildinfo.sh:38-46; Lua 5.1 doubles say "float"). */
export type NumberType = "float" | "integer";

/** Modules in the order NodeMCU lists them, without repeats. */
export function inBuildOrder(modules: Iterable<string>): string[] {
  return [...new Set(modules)].sort((a, b) => NODEMCU_MODULES.indexOf(a) - NODEMCU_MODULES.indexOf(b));
}

/**
 * The modules of a `--modules` value: "default", "recommended" or a comma list of module names.
 * Throws an Error naming what is not a NodeMCU module.
 */
export function parseModules(spec: string): string[] {
  const named = NAMED_BUILDS[spec.trim()];
  if (named) return [...named];
  const list = spec
    .split(",")
    .map((m) => m.trim().toLowerCase())
    .filter((m) => m !== "");
  const unknown = list.filter((m) => !NODEMCU_MODULES.includes(m));
  if (list.length === 0 || unknown.length > 0) {
    const what =
      list.length === 0
        ? "no modules given"
        : `not NodeMCU module${unknown.length > 1 ? "s" : ""}: ${unknown.join(", ")}`;
    throw new Error(
      `${what}; give "default", "recommended" or a comma list of: ${[...NODEMCU_MODULES].sort().join(",")}`,
    );
  }
  return inBuildOrder(list);
}

/**
 * The build an emulated board gets for firmware whose manifest needs `needs` (needs.modules): the
 * README's, plus what the firmware uses beyond it, so the test board runs what the build needs.
 * A real board's build is still checked before an upload (tools/serial/preflight.ts). `line`
 * says so, as in "the README's recommended modules plus adc, dht (the firmware uses them)".
 */
export function emulatedBuild(needs: readonly string[]): { modules: string[]; line: string } {
  const added = inBuildOrder(needs.filter((m) => !RECOMMENDED_BUILD.includes(m)));
  const plus = added.length === 0 ? "" : ` plus ${added.join(", ")} (the firmware uses them)`;
  return { modules: inBuildOrder([...RECOMMENDED_BUILD, ...added]), line: `the README's recommended modules${plus}` };
}
