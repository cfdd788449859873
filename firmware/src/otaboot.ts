// The boot side of an update over MQTT: init.lua, built with updates, hands this module the boot
// guard's count at each boot. With no update on trial it returns at once and is unloaded; an
// update that did not reach the broker within OTA_BOOTS boots is rolled back; one on trial is
// watched until the app comes online (then otaswap.ts settles it) or OTA_TRIAL_MS pass.
import { BOOT_GUARD_MAGIC, BOOT_GUARD_SLOT } from "./contract";
import { OTA_BOOTS, OTA_NEW, OTA_NONCE_SLOT, OTA_OLD, OTA_ROLLED_BACK, OTA_STATE, OTA_TRIAL_MS } from "./otacontract";

packageLib.loaded.set("otacontract", undefined);

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

/** The boot guard's count of crashed boots for init.lua to go on with (0 after a rollback). */
export function boot(crashes: number): number {
  // Unloaded at once (require stored it after this chunk ran); a trial's timer keeps what it needs.
  packageLib.loaded.set("otaboot", undefined);
  const update = file.getcontents(OTA_STATE);
  const onTrial = update !== undefined && string.sub(update, 1, 6) === "trial ";
  // A reset cuts an update short: its temp files would hold flash the manifest does not show. Backups
  // are needed only by an update on trial.
  for (const [name] of file.list())
    if (string.find(name, onTrial ? "^n~" : "^[no]~")[0] !== undefined) file.remove(name);
  // After a power cut RTC memory holds whatever the chip powered up with: no nonce until a manifest.
  if (node.bootreason()[1] === 0) rtcmem.write32(OTA_NONCE_SLOT, 0);
  if (!onTrial) return crashes;
  if (crashes >= OTA_BOOTS) {
    rollBack(update!, crashes);
    return 0;
  }
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
  return crashes;
}
