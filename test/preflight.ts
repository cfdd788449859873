// Run by `npm test` before any test: the programs the suites drive, looked for once, so that a
// machine without them stops at once with one line saying what to install, instead of failing
// test by test.
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { pathToFileURL } from "node:url";

/** What the suites run, by the Debian package that brings it. */
export const TOOLS: readonly { command: string; pkg: string }[] = [
  { command: "mosquitto", pkg: "mosquitto" },
  { command: "mosquitto_pub", pkg: "mosquitto-clients" },
  { command: "mosquitto_sub", pkg: "mosquitto-clients" },
  { command: "openssl", pkg: "openssl" },
  { command: "luacheck", pkg: "lua-check" },
];

/** The packages whose commands are in none of `dirs`, each named once. */
export function missingPackages(dirs: readonly string[]): string[] {
  const found = (command: string) =>
    dirs.some((d) => {
      try {
        accessSync(join(d, command), constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
  return [...new Set(TOOLS.filter((t) => !found(t.command)).map((t) => t.pkg))];
}

/** The line npm test stops with, or undefined when nothing is missing. */
export function preflightMessage(missing: readonly string[]): string | undefined {
  if (missing.length === 0) return undefined;
  return `npm test needs ${missing.join(", ")}: apt-get install ${missing.join(" ")} (or run bash .ci/run, which installs them)`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  // Mosquitto installs into sbin, which a user's PATH often lacks (test/helpers/broker.ts looks there too).
  const dirs = [...(process.env.PATH ?? "").split(delimiter), "/usr/sbin", "/usr/local/sbin"];
  const message = preflightMessage(missingPackages(dirs));
  if (message) {
    process.stderr.write(`${message}\n`);
    process.exit(1);
  }
}
