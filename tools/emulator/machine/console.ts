// The serial console as NodeMCU's app/driver/input.c and lua.c run it: echo, CR/LF folding,
// backspace, a 256-byte line buffer whose overflow loses the line's beginning, "> " and ">> "
// prompts, and uart.on("data") capture of raw bytes with or without the interpreter.

/** LUA_MAXINPUT: the line buffer, terminator included. */
const MAXINPUT = 256;

export interface Capture {
  /** "0": every byte; "1".."255": blocks of that size; one other character: up to and including it. */
  count: string;
  runInput: boolean;
}

export class Console {
  echo = true;
  private line: number[] = [];
  private chunk = "";
  private lastEnd = 0;
  private capturing: Capture | undefined;
  private held: number[] = [];

  constructor(
    private readonly write: (bytes: Buffer) => void,
    private readonly run: (line: string) => void,
    private readonly deliver: (data: Buffer) => void,
  ) {}

  /** Back to the state after boot. */
  reset(): void {
    this.echo = true;
    this.line = [];
    this.chunk = "";
    this.capturing = undefined;
    this.held = [];
  }

  /** Text from print: "\n" goes out as "\r\n", a bare "\r" is dropped (app/driver/uart.c). */
  print(text: string): void {
    this.write(Buffer.from(text.replace(/\r/g, "").replace(/\n/g, "\r\n"), "latin1"));
  }

  prompt(continued = this.chunk !== ""): void {
    this.write(Buffer.from(continued ? ">> " : "> "));
  }

  /**
   * Runs one typed line (lines are processed one per task, in order): it joins an unfinished
   * chunk, and the REPL's answer decides the next prompt. An empty line only re-prompts.
   */
  execute(line: string, repl: (chunk: string) => "more" | "done"): void {
    if (line === "" && this.chunk === "") return this.prompt(false);
    const chunk = this.chunk === "" ? line : `${this.chunk}\n${line}`;
    this.chunk = repl(chunk) === "more" ? chunk : "";
    this.prompt();
  }

  capture(c: Capture | undefined): void {
    this.capturing = c;
    this.held = [];
  }

  /** Bytes arriving from the serial line. */
  input(bytes: Buffer): void {
    for (const b of bytes) {
      const cap = this.capturing;
      if (cap) this.collect(b, cap);
      if (!cap || cap.runInput) this.interpret(b);
    }
  }

  private collect(b: number, cap: Capture): void {
    this.held.push(b);
    // A count arrives as digits; anything else is an end character ("\n" is not the number 0).
    // Either way the buffer is handed over when full (input.c:183-188).
    const full =
      this.held.length >= MAXINPUT ||
      (/^\d+$/.test(cap.count) ? this.held.length >= Math.max(1, Number(cap.count)) : b === cap.count.charCodeAt(0));
    if (full) {
      this.deliver(Buffer.from(this.held));
      this.held = [];
    }
  }

  private interpret(b: number): void {
    if (b === 0x0d || b === 0x0a) {
      // "\r\n" and "\n\r" are one line end.
      if (this.lastEnd !== 0 && this.lastEnd !== b) {
        this.lastEnd = 0;
        return;
      }
      this.lastEnd = b;
      if (this.echo) this.write(Buffer.from("\r\n"));
      return this.endLine();
    }
    this.lastEnd = 0;
    if (b === 0x08 || b === 0x7f) {
      if (this.line.length > 0) {
        this.line.pop();
        if (this.echo) this.write(Buffer.from("\b \b"));
      }
      return;
    }
    if (this.echo) this.write(Buffer.from([b]));
    if (this.line.length >= MAXINPUT - 1) this.line = []; // input.c restarts the buffer
    this.line.push(b);
  }

  private endLine(): void {
    const text = Buffer.from(this.line).toString("latin1");
    this.line = [];
    this.run(text);
  }
}
