// pipe: an in-memory FIFO of strings (the console and node.output use them).
/** @noSelf */
declare namespace pipe {
  /** A new pipe; cb is posted as a task when written to (returning true/false forces/stops reposting). */
  // biome-ignore lint/suspicious/noConfusingVoidType: the callback returns a boolean or nothing at all
  function create(cb?: (this: void, pipe: pipe.Pipe) => boolean | void, task_priority?: number): pipe.Pipe;

  /** A pipe; its methods are called with `:`. */
  interface Pipe {
    /** size bytes, or a record up to a delimiter character (optionally followed by "+" to keep it; default "\n+"); nil when empty. */
    read(sizeOrDelimiter?: number | string): string | undefined;
    /** An iterator over records, as read() would return them. */
    reader(sizeOrDelimiter?: number | string): LuaIterable<string>;
    /** Puts s back at the front. */
    unread(s: string): void;
    /** Appends s. */
    write(s: string): void;
    /** The number of internal records (chunks of 1–256 bytes). */
    nrec(): number;
  }
}
