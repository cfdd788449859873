// Per-file upload progress: a redrawn bar (bytes, rate, ETA) on a terminal, one line per file
// otherwise, so logs stay readable.
const WIDTH = 24;

export interface FileProgress {
  update(sent: number, total: number): void;
  /** Ends the file's line; returns the bytes-per-second it achieved. */
  done(total: number): number;
}

const kb = (n: number) => (n >= 1024 ? `${(n / 1024).toFixed(1)} KB` : `${Math.round(n)} B`);

export function fileProgress(name: string, out: NodeJS.WriteStream = process.stdout): FileProgress {
  const start = performance.now();
  const rate = (sent: number) => sent / Math.max(0.001, (performance.now() - start) / 1000);
  return {
    update(sent, total) {
      if (!out.isTTY) return;
      const filled = Math.round((sent / Math.max(1, total)) * WIDTH);
      const r = rate(sent);
      const eta = r > 0 ? Math.ceil((total - sent) / r) : 0;
      out.write(
        `\r  ${name.padEnd(20)} [${"#".repeat(filled)}${".".repeat(WIDTH - filled)}] ${kb(sent)}/${kb(total)} ${kb(r)}/s ETA ${eta} s\x1b[K`,
      );
    },
    done(total) {
      const r = rate(total);
      const [from, clear] = out.isTTY ? ["\r", "\x1b[K"] : ["", ""];
      out.write(
        `${from}  ${name.padEnd(20)} ${kb(total)} in ${((performance.now() - start) / 1000).toFixed(2)} s (${kb(r)}/s), verified${clear}\n`,
      );
      return r;
    },
  };
}
