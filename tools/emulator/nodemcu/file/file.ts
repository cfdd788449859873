// file's host half (file.lua): its calls on the board's flash (../../machine/flash.ts), which holds the
// open files by handle number.
import type { Flash } from "../../machine/flash.ts";
import type { HostFactory, HostModule } from "../../runtime/host-half.ts";

function calls(flash: Flash): HostModule {
  return {
    open: (a) => flash.open(a.text(0), a.text(1)),
    close: (a) => void flash.close(a.number(0)),
    flush: (a) => flash.flush(a.number(0)),
    read: (a) => flash.read(a.number(0), a.number(1)),
    /** Up to and including the first byte of the string argument (file.read("\n")). */
    readTo: (a) => flash.readTo(a.number(0), a.bytes(1)[0]!),
    write: (a) => flash.write(a.number(0), a.bytes(1)),
    seek: (a) => flash.seek(a.number(0), a.text(1), a.number(2)),
    // Names are bytes: as Buffers they reach Lua unchanged, where a string would go as UTF-8.
    list: () => flash.list().flatMap(([name, size]) => [Buffer.from(name, "latin1"), size]),
    remove: (a) => void flash.remove(a.text(0)),
    rename: (a) => flash.rename(a.text(0), a.text(1)),
    exists: (a) => flash.size(a.text(0)) !== null,
    size: (a) => flash.size(a.text(0)),
    fsinfo: () => [flash.totalBytes - flash.usedBytes(), flash.usedBytes(), flash.totalBytes],
    format: () => void flash.format(),
  };
}

export const fileHost: HostFactory = (board) => ({ calls: calls(board.flash) });
