// init.lua: the boot guard. Waits a moment before starting the app so a bad app can be stopped
// from the REPL, and stops autostart after BOOT_GUARD_LIMIT boots that crashed before the app
// came online (the app clears the count when it reaches the broker). After an update over MQTT
// (ota.ts) it also rolls back: the new firmware gets OTA_BOOTS boots, each of at most OTA_TRIAL_MS,
// to reach the broker; then the previous files come back. An update never replaces this file.
import { BOOT_GUARD_LIMIT, BOOT_GUARD_MAGIC, BOOT_GUARD_SLOT, OTA_BOOTS, OTA_NEW, OTA_OLD, OTA_ROLLED_BACK, OTA_STATE, OTA_TRIAL_MS } from "./contract";

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

/**
 * Puts the previous firmware back. The state file reads "trial <version> <names>", "+name" for a
 * file the update added (removed now); a name still without a backup was not reached by the rename
 * pass, so it is the old file already. The app reports the rollback once online.
 */
function rollBack(state: string, crashes: number): void {
  let ver = "";
  let k = 0;
  for (const w of string.gmatch(state, "%S+")) {
    k = k + 1;
    if (k === 2) ver = w;
    if (k < 3) continue;
    const added = string.sub(w, 1, 1) === "+";
    const name = added ? string.sub(w, 2) : w;
    file.remove(OTA_NEW + name);
    if (!added && !file.exists(OTA_OLD + name)) continue;
    file.remove(name);
    file.rename(OTA_OLD + name, name);
  }
  file.putcontents(OTA_STATE, OTA_ROLLED_BACK + " " + ver);
  print("boot: update " + ver + " did not reach the broker in " + crashes + " boots; previous firmware restored");
}

let crashes = crashedBoots();
const update = file.getcontents(OTA_STATE);
if (update !== undefined && string.sub(update, 1, 6) === "trial ") {
  if (crashes >= OTA_BOOTS) {
    rollBack(update, crashes);
    crashes = 0;
  } else {
    // The app clears the boot guard's mark once online: then the update stays. One that neither
    // crashes nor connects is restarted after OTA_TRIAL_MS, so its boots count too.
    let waited = 0;
    const trial = tmr.create();
    trial.alarm(1000, tmr.ALARM_AUTO, () => {
      waited = waited + 1000;
      const [magic] = rtcmem.read32(BOOT_GUARD_SLOT, 1);
      if (magic !== BOOT_GUARD_MAGIC) {
        trial.unregister();
        (require("otaswap") as typeof import("./otaswap")).settle();
      } else if (waited >= OTA_TRIAL_MS) node.restart();
    });
  }
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
