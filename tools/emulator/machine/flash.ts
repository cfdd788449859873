// The board's flash: SPIFFS's flat namespace kept as files in one host folder.
//
// Board file names are byte strings (latin1: one char per byte, as the Lua bridge hands them
// over), not paths. In NodeMCU's SPIFFS "/" and ".." are plain characters: "../x" is one object
// named "../x". Each object is one host file inside the folder, under a reversible encoding
// (hostName), so no board name can reach a file outside the folder.
import {
  chmodSync,
  closeSync,
  copyFileSync,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  rmSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { FlashWear, PAGE, type WearOptions } from "./flash-timing.ts";

/** SPIFFS_MAX_OPEN_FILES in NodeMCU's user_config.h. */
const MAX_OPEN = 4;
/**
 * Longest object name: FS_OBJ_NAME_LEN (app/include/user_config.h:116) = 31 bytes, because
 * SPIFFS_OBJ_NAME_LEN counts the NUL (app/spiffs/spiffs_config.h:143-148).
 */
export const NAME_MAX = 31;
const MODES: Record<string, string> = { r: "r", w: "w", a: "a", "r+": "r+", "w+": "w+", "a+": "a+" };

/** An object name SPIFFS can hold: 1 to NAME_MAX bytes, none of them NUL. */
function isObjectName(name: string): boolean {
  return name.length > 0 && name.length <= NAME_MAX && !name.includes("\0");
}

/**
 * The SPIFFS object a board path names, or null when it names none:
 * - a leading "/" names a drive, and SPIFFS's is "/FLASH": "/FLASH/x" (and "/FLASHx") is object
 *   "x"; any other drive is not built (FatFS is off, user_config.h:118), so nothing answers
 *   (app/spiffs/spiffs.c:180, 525-535; vfs.c:7 turns ".." traversal off);
 * - SPIFFS refuses names over NAME_MAX with SPIFFS_ERR_NAME_TOO_LONG, which file.open turns
 *   into nil (app/spiffs/spiffs_hydrogen.c:214, 657, 757, 882).
 * NUL never gets here: the file module raises "filename invalid" first (app/modules/file.c:211).
 * An empty name is no object either (the emulator's choice: SPIFFS's answer is unclear).
 */
function objectName(path: string): string | null {
  let name = path;
  if (name.startsWith("/")) {
    if (name.slice(1, 6) !== "FLASH") return null;
    name = name.slice(6).replace(/^\//, "");
  }
  return isObjectName(name) ? name : null;
}

/**
 * The host file name of an object: bytes outside [A-Za-z0-9._-] as %XX, and "." / ".." fully
 * escaped. Plain names such as init.lua stay as they are, so folders from earlier versions work.
 */
function hostName(name: string): string {
  const out = name.replace(
    /[^A-Za-z0-9._-]/g,
    (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0"),
  );
  return out === "." || out === ".." ? out.replaceAll(".", "%2E") : out;
}

/** The object a host file holds, or null for a host file no object name encodes to. */
function fromHostName(file: string): string | null {
  const name = file.replace(/%([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  return hostName(name) === file && isObjectName(name) ? name : null;
}

/** The size of the regular file at `p`, or null: a symlink or folder put in the flash folder is no object, and is not followed. */
function sizeOf(p: string): number | null {
  const st = lstatSync(p, { throwIfNoEntry: false });
  return st?.isFile() ? st.size : null;
}

interface Handle {
  fd: number;
  pos: number;
  append: boolean;
  /** Bytes written into SPIFFS's page cache and not yet programmed. */
  cached: number;
}

/** The filesystem NodeMCU makes on a 4 MB module. */
const TOTAL_BYTES = 3_448_832;

export type FlashOptions = Partial<Omit<WearOptions, "capacity">>;

export class Flash {
  readonly totalBytes = TOTAL_BYTES;
  private readonly handles = new Map<number, Handle>();
  private next = 1;
  private readonly wear: FlashWear;

  /** With `busy`, each operation reports how long it keeps the flash busy (./flash-timing.ts). */
  constructor(
    readonly dir: string,
    o: FlashOptions = {},
  ) {
    mkdirSync(dir, { recursive: true });
    this.wear = new FlashWear({ ...o, capacity: this.totalBytes, busy: o.busy ?? (() => {}) });
  }

  /** The host file for a board path, or null when the path names no object. */
  private path(name: string): string | null {
    const object = objectName(name);
    return object === null ? null : join(this.dir, hostName(object));
  }

  /** Every object: its name, host file and size. */
  private objects(): { name: string; file: string; size: number }[] {
    return readdirSync(this.dir).flatMap((f) => {
      const name = fromHostName(f);
      const size = name === null ? null : sizeOf(join(this.dir, f));
      return name === null || size === null ? [] : [{ name, file: join(this.dir, f), size }];
    });
  }

  open(name: string, mode: string): number | null {
    const flags = MODES[mode];
    const p = this.path(name);
    if (!flags || p === null || this.handles.size >= MAX_OPEN) return null;
    const st = lstatSync(p, { throwIfNoEntry: false });
    if (st ? !st.isFile() : flags.startsWith("r")) return null;
    // 0600: the board's files include config.lua, with its passwords and OTA key (the build writes it so too).
    const fd = openSync(p, flags, 0o600);
    const id = this.next++;
    this.handles.set(id, {
      fd,
      pos: flags.startsWith("a") ? fstatSync(fd).size : 0,
      append: flags.startsWith("a"),
      cached: 0,
    });
    return id;
  }

  /** Copies a host file in as object `name`, as `mcu emulate --load` does; false if SPIFFS cannot hold that name. */
  load(name: string, from: string): boolean {
    if (!isObjectName(name)) return false;
    const to = join(this.dir, hostName(name));
    copyFileSync(from, to);
    chmodSync(to, 0o600);
    return true;
  }

  close(id: number): void {
    const h = this.handles.get(id);
    if (!h) return;
    this.flush(id);
    closeSync(h.fd);
    this.handles.delete(id);
  }

  /** Programs the cached partial page and the object's index page. */
  flush(id: number): boolean {
    const h = this.handles.get(id);
    if (!h) return false;
    this.wear.program(Math.ceil(h.cached / PAGE));
    this.wear.touch();
    h.cached = 0;
    return true;
  }

  /** Closes everything: what a reboot does to open files (power is cut: nothing is programmed). */
  closeAll(): void {
    for (const [id, h] of this.handles) {
      closeSync(h.fd);
      this.handles.delete(id);
    }
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
    // Full pages leave the cache for the flash as they fill.
    h.cached += data.length;
    this.wear.program(Math.floor(h.cached / PAGE));
    h.cached %= PAGE;
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
    return this.objects().map((o) => [o.name, o.size]);
  }

  size(name: string): number | null {
    const p = this.path(name);
    return p === null ? null : sizeOf(p);
  }

  remove(name: string): void {
    const p = this.path(name);
    if (p === null || sizeOf(p) === null) return;
    rmSync(p);
    this.wear.touch();
  }

  rename(from: string, to: string): boolean {
    const src = this.path(from);
    const dst = this.path(to);
    if (src === null || dst === null || sizeOf(src) === null || lstatSync(dst, { throwIfNoEntry: false })) return false;
    renameSync(src, dst);
    this.wear.touch();
    return true;
  }

  usedBytes(): number {
    return this.objects().reduce((n, o) => n + o.size, 0);
  }

  format(): void {
    this.closeAll();
    for (const o of this.objects()) rmSync(o.file);
    this.wear.format();
  }
}
