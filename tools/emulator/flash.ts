// The board's flash: a flat SPIFFS-like namespace kept as files in a host folder.
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readSync, readdirSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";

/** SPIFFS_MAX_OPEN_FILES in NodeMCU's user_config.h. */
const MAX_OPEN = 4;
const MODES: Record<string, string> = { r: "r", w: "w", a: "a", "r+": "r+", "w+": "w+", "a+": "a+" };

interface Handle {
  fd: number;
  pos: number;
  append: boolean;
}

export class Flash {
  private readonly handles = new Map<number, Handle>();
  private next = 1;

  constructor(
    readonly dir: string,
    readonly totalBytes = 3_448_832,
  ) {
    mkdirSync(dir, { recursive: true });
  }

  private path(name: string): string {
    return join(this.dir, name);
  }

  open(name: string, mode: string): number | null {
    const flags = MODES[mode];
    if (!flags || this.handles.size >= MAX_OPEN) return null;
    if (flags.startsWith("r") && !existsSync(this.path(name))) return null;
    const fd = openSync(this.path(name), flags);
    const id = this.next++;
    this.handles.set(id, { fd, pos: flags.startsWith("a") ? fstatSync(fd).size : 0, append: flags.startsWith("a") });
    return id;
  }

  close(id: number): void {
    const h = this.handles.get(id);
    if (!h) return;
    closeSync(h.fd);
    this.handles.delete(id);
  }

  /** Closes everything: what a reboot does to open files. */
  closeAll(): void {
    for (const id of [...this.handles.keys()]) this.close(id);
  }

  read(id: number, n: number): Buffer | null {
    const h = this.handles.get(id);
    if (!h) return null;
    const buf = Buffer.alloc(Math.max(0, n));
    const got = readSync(h.fd, buf, 0, buf.length, h.pos);
    h.pos += got;
    return got === 0 ? null : buf.subarray(0, got);
  }

  /** Reads up to and including `stop`, at most 1024 bytes (FILE_READ_CHUNK). */
  readTo(id: number, stop: number): Buffer | null {
    const h = this.handles.get(id);
    if (!h) return null;
    const buf = Buffer.alloc(1024);
    const got = readSync(h.fd, buf, 0, buf.length, h.pos);
    if (got === 0) return null;
    const at = buf.subarray(0, got).indexOf(stop);
    const len = at === -1 ? got : at + 1;
    h.pos += len;
    return buf.subarray(0, len);
  }

  write(id: number, data: Buffer): boolean {
    const h = this.handles.get(id);
    if (!h) return false;
    if (h.append) h.pos = fstatSync(h.fd).size;
    if (this.usedBytes() + data.length > this.totalBytes) return false;
    writeSync(h.fd, data, 0, data.length, h.pos);
    h.pos += data.length;
    return true;
  }

  seek(id: number, whence: string, offset: number): number | null {
    const h = this.handles.get(id);
    if (!h) return null;
    const base = whence === "set" ? 0 : whence === "end" ? fstatSync(h.fd).size : h.pos;
    if (base + offset < 0) return null;
    h.pos = base + offset;
    return h.pos;
  }

  list(): [string, number][] {
    return readdirSync(this.dir)
      .filter((n) => statSync(this.path(n)).isFile())
      .map((n) => [n, statSync(this.path(n)).size]);
  }

  size(name: string): number | null {
    return existsSync(this.path(name)) ? statSync(this.path(name)).size : null;
  }

  remove(name: string): void {
    rmSync(this.path(name), { force: true });
  }

  rename(from: string, to: string): boolean {
    if (!existsSync(this.path(from)) || existsSync(this.path(to))) return false;
    renameSync(this.path(from), this.path(to));
    return true;
  }

  usedBytes(): number {
    return this.list().reduce((n, [, s]) => n + s, 0);
  }

  format(): void {
    this.closeAll();
    for (const [n] of this.list()) this.remove(n);
  }
}
