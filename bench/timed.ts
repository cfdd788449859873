// Timing a command from the outside, as a user would feel it.
import { spawn } from "node:child_process";

/** Wall time of a command in seconds, without blocking this process (its emulated board must keep running). */
export function timed(cmd: string, args: string[]): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("close", (code) =>
      code === 0
        ? resolve((performance.now() - t0) / 1000)
        : reject(new Error(`${cmd} ${args.join(" ")} failed (${code}): ${err}`)),
    );
  });
}
