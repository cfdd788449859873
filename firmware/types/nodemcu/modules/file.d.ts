// file: the flat SPIFFS file system on the flash (names up to 31 bytes, 4 files open at once).
/** @noSelf */
declare namespace file {
  /** Opens a file ("r" default, "w", "a", "r+", "w+", "a+"); nil when it cannot. */
  function open(name: string, mode?: "r" | "w" | "a" | "r+" | "w+" | "a+"): file.Handle | undefined;
  /** Closes the file opened last with file.open. */
  function close(): void;
  /** Reads from the current file: n bytes (default 1024) or up to a character; nil at the end. */
  function read(nOrChar?: number | string): string | undefined;
  /** Reads a line (with its "\n") from the current file; nil at the end. */
  function readline(): string | undefined;
  /** Writes to the current file; true, or nil on error. */
  function write(s: string): true | undefined;
  /** Writes s and "\n" to the current file. */
  function writeline(s: string): true | undefined;
  /** Moves in the current file; the new position, or nil. */
  function seek(whence?: "set" | "cur" | "end", offset?: number): number | undefined;
  /** Flushes the current file. */
  function flush(): true | undefined;
  /** Every file (matching a Lua pattern) with its size. */
  function list(pattern?: string): LuaTable<string, number>;
  /** Deletes a file. */
  function remove(name: string): void;
  /** Renames a file; false if it could not. */
  function rename(from: string, to: string): boolean;
  /** Whether a file exists. */
  function exists(name: string): boolean;
  /** A file's size and attributes, or nil. */
  function stat(name: string):
    | {
        size: number;
        name: string;
        is_dir: boolean;
        is_rdonly: boolean;
        is_hidden: boolean;
        is_sys: boolean;
        is_arch: boolean;
        time: { year: number; mon: number; day: number; hour: number; min: number; sec: number };
      }
    | undefined;
  /** Bytes remaining, used and in total. */
  function fsinfo(): LuaMultiReturn<[number, number, number]>;
  /** A whole file's contents, or nil. */
  function getcontents(name: string): string | undefined;
  /** Replaces a file's contents; true, or nil on error. */
  function putcontents(name: string, s: string): true | undefined;
  /** Erases every file. */
  function format(): void;
  /** Changes the current drive ("/FLASH", "/SD0"…), in firmware built with FatFS; true on success. */
  function chdir(dir: string): boolean;
  /** Mounts an SD card drive ("/SD0"…) with its chip-select pin (default 8), in firmware built with FatFS. */
  function mount(ldrv: string, pin?: number): { umount(): boolean } | undefined;
  /** Sets (or with no fn clears) the callback that gives the file system the current date and time. */
  function on(
    event: "rtc",
    fn?: (this: void) => { year: number; mon: number; day: number; hour: number; min: number; sec: number },
  ): void;
  /** Flash address and size of the file system. */
  function fscfg(): LuaMultiReturn<[number, number]>;

  /** An open file; its methods are called with `:`. */
  interface Handle {
    /** n bytes (default 1024) or up to a character; nil at the end. */
    read(nOrChar?: number | string): string | undefined;
    /** A line with its "\n"; nil at the end. */
    readline(): string | undefined;
    /** Writes bytes; true, or nil on error. */
    write(s: string): true | undefined;
    /** Writes s and "\n". */
    writeline(s: string): true | undefined;
    /** Moves; the new position, or nil. */
    seek(whence?: "set" | "cur" | "end", offset?: number): number | undefined;
    /** Writes buffered data to flash. */
    flush(): true | undefined;
    /** Closes the file. */
    close(): void;
  }
}
