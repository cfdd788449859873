// A serial line as slow as a real UART: 10 bits a byte (start, 8 data, stop), so --baud 115200
// carries 11,520 bytes a second. Bytes are handed on when their last bit would have arrived.

/** Hands bytes on at the line rate, in order; with no baud it hands them on at once. */
export class Line {
  private queue: Buffer[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** When the line is free: the last queued byte's last bit has gone out. */
  private freeAt = 0;
  /** When each queued chunk has arrived whole. */
  private due: number[] = [];

  constructor(
    private readonly baud: number | undefined,
    private readonly sink: (bytes: Buffer) => void,
  ) {}

  send(bytes: Buffer): void {
    if (!this.baud) return this.sink(bytes);
    this.freeAt = Math.max(this.freeAt, performance.now()) + (bytes.length * 10_000) / this.baud;
    this.queue.push(bytes);
    this.due.push(this.freeAt);
    if (!this.timer) this.pump();
  }

  private pump(): void {
    this.timer = undefined;
    const now = performance.now();
    const out: Buffer[] = [];
    while (this.queue.length > 0 && this.due[0]! <= now) {
      out.push(this.queue.shift()!);
      this.due.shift();
    }
    if (out.length > 0) this.sink(Buffer.concat(out));
    // Timers are not finer than a millisecond; what is due within one goes in the next batch.
    if (this.queue.length > 0) this.timer = setTimeout(() => this.pump(), Math.max(1, this.due[0]! - now));
  }

  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.queue = [];
    this.due = [];
  }
}
