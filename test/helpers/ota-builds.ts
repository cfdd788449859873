// Firmware variants for update tests: the test build with app.lua changed under a new version, and
// the build folder `mcu ota --build` reads.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type FirmwareFiles, readBuildFiles } from "../../tools/compiler/manifest.ts";
import { buildOnce } from "./firmware.ts";

/** The test build with updates over MQTT and no secret. */
export const OTA = { ota: {} };

/** The test build (with OTA, or `extra`) with app.lua changed (a no-op line added, or an error at start) under a new version. */
export async function variant(version: string, appPrefix: string, extra: object = OTA): Promise<FirmwareFiles> {
  const fw = readBuildFiles((await buildOnce(extra)).outDir);
  return {
    ...fw,
    version,
    files: fw.files.map((f) =>
      f.name === "app.lua" ? { name: f.name, data: Buffer.concat([Buffer.from(appPrefix), f.data]) } : f,
    ),
  };
}

/** A build folder holding `fw` (what mcu ota --build reads). */
export function buildFolder(fw: FirmwareFiles): string {
  const dir = mkdtempSync(join(tmpdir(), "mcu-ota-build-"));
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  for (const f of fw.files) writeFileSync(join(dir, f.name), f.data);
  writeFileSync(
    join(dir, "manifest.json"),
    JSON.stringify({ version: fw.version, files: fw.files.map((f) => ({ name: f.name })), needs: fw.needs }),
  );
  return dir;
}
