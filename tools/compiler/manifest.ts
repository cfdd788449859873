// The build's manifest (manifest.json in the build folder): the one place it is read, and the one
// Firmware type every consumer of a build works with (the uploader, OTA, the emulator's --app).
// Kept apart from build.ts so that a verb that only reads a build loads no compiler.
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { EXIT } from "../../host/kit/index.ts";
import { BuildError } from "./errors.ts";
import type { BoardNeeds } from "./needs.ts";

export const MANIFEST = "manifest.json";

/** A build on disk: where it is, its version, its files (config.lua too) and what it asks of the board. */
export interface Firmware {
  outDir: string;
  version: string;
  files: { name: string }[];
  needs: BoardNeeds;
}

/** A build with its files read, for an update that sends them (mcu ota). */
export type FirmwareFiles = Omit<Firmware, "files"> & { files: { name: string; data: Buffer }[] };

/**
 * A build folder's manifest: its version, file names, error maps and needs (absent before builds
 * recorded them), or undefined when there is none or it cannot be read: a folder is anyone's to fill.
 */
export function readManifest(
  file: string,
): { version: string; names: string[]; maps: string[]; needs?: BoardNeeds } | undefined {
  try {
    const m = JSON.parse(readFileSync(file, "utf8")) as {
      version?: unknown;
      files?: { name?: unknown }[];
      maps?: unknown;
      needs?: BoardNeeds;
    };
    if (typeof m.version !== "string" || !Array.isArray(m.files)) return undefined;
    const needs = Array.isArray(m.needs?.modules) && Array.isArray(m.needs.floats) ? m.needs : undefined;
    // The error maps (host/errmap) stay on the PC: listed apart from the board's files.
    const maps = Array.isArray(m.maps) ? m.maps.filter((n): n is string => typeof n === "string") : [];
    return {
      version: m.version,
      names: m.files.map((f) => f?.name).filter((n): n is string => typeof n === "string"),
      maps,
      needs,
    };
  } catch {
    return undefined;
  }
}

/** The complete build in `dir`; exit 2 saying what is missing when it is not one. */
export function readBuild(dir: string): Firmware {
  const outDir = resolve(dir);
  const manifest = readManifest(join(outDir, MANIFEST));
  const missing = manifest?.names.filter((n) => !existsSync(join(outDir, n))) ?? [];
  if (!manifest || missing.length > 0 || !manifest.needs) {
    const why = !manifest
      ? `it holds no ${MANIFEST}`
      : missing.length > 0
        ? `it lacks ${missing.join(", ")} of its ${MANIFEST}`
        : `its ${MANIFEST} is from an older mcu that did not record what the firmware needs of the board`;
    throw new BuildError(
      `${outDir} is not a complete build (${why}): build it first with mcu build --out DIR`,
      EXIT.usage,
    );
  }
  return { outDir, version: manifest.version, files: manifest.names.map((name) => ({ name })), needs: manifest.needs };
}

/** readBuild with every file's bytes. */
export function readBuildFiles(dir: string): FirmwareFiles {
  const fw = readBuild(dir);
  return { ...fw, files: fw.files.map((f) => ({ name: f.name, data: readFileSync(join(fw.outDir, f.name)) })) };
}
