// init.lua: the boot guard. Waits a moment before starting the app so a bad app can be stopped
// from the REPL, and stops autostart after BOOT_GUARD_LIMIT boots that crashed before the app
// came online (the app clears the count when it reaches the broker). Built with updates over MQTT,
// it also has otaboot.ts roll a failed one back. An update never replaces this file.
import { BOOT_GUARD_LIMIT, BOOT_GUARD_MAGIC, BOOT_GUARD_SLOT } from "./contract";

declare global {
  /** Typed at the REPL during the boot pause to keep the app from starting. */
  var abort: (() => void) | undefined;
}

const DELAY_MS = 1500;

function crashedBoots(): number {
  const [magic, count] = rtcmem.read32(BOOT_GUARD_SLOT, 2);
  const [, reason] = node.bootreason();
  // 0 power-on, 6 reset button: a person restarted the board, so it gets fresh tries.
  if (magic !== BOOT_GUARD_MAGIC || reason === 0 || reason === 6) return 0;
  return count;
}

let crashes = crashedBoots();
if (BUILD_OTA) {
  // Built with updates over MQTT (device.json "ota"): otaboot.ts rolls back an update that did not
  // come online, or watches one on trial; a board without them carries none of this.
  crashes = (require("otaboot") as typeof import("./otaboot")).boot(crashes);
}
if (crashes >= BOOT_GUARD_LIMIT) {
  rtcmem.write32(BOOT_GUARD_SLOT, BOOT_GUARD_MAGIC, crashes);
  print("boot: autostart stopped: the app crashed " + crashes + " times before coming online.");
  print("boot: fix the app and flash again, or retry with: rtcmem.write32(" + BOOT_GUARD_SLOT + ", 0) node.restart()");
} else {
  rtcmem.write32(BOOT_GUARD_SLOT, BOOT_GUARD_MAGIC, crashes + 1);
  const t = tmr.create();
  abort = () => {
    t.unregister();
    abort = undefined;
    print("boot: autostart aborted; the REPL is yours");
  };
  print("boot: starting app in " + DELAY_MS + " ms; type abort() to stay in the REPL");
  t.alarm(DELAY_MS, tmr.ALARM_SINGLE, () => {
    abort = undefined;
    require("app");
  });
}
