// A serial line as slow as a real UART: 10 bits a byte (start, 8 data, stop), so --baud 115200
// carries 11,520 bytes a second each way.

/** Hands bytes on at the line rate, in order; with no baud it hands them on at once. */
export class Line {
  private queue: Buffer[] = [];
  private timer: NodeJS.Timeout | undefined;
  private credit = 0;
  private last = 0;

  constructor(
    private readonly baud: number | undefined,
    private readonly sink: (bytes: Buffer) => void,
  ) {}

  send(bytes: Buffer): void {
    if (!this.baud) return this.sink(bytes);
    this.queue.push(bytes);
    if (!this.timer) {
      this.last = performance.now();
      this.credit = 0;
      this.pump();
    }
  }

  private pump(): void {
    const now = performance.now();
    this.credit += ((now - this.last) / 1000) * (this.baud! / 10);
    this.last = now;
    let budget = Math.floor(this.credit);
    const out: Buffer[] = [];
    while (budget > 0 && this.queue.length > 0) {
      const head = this.queue[0]!;
      const take = Math.min(budget, head.length);
      out.push(head.subarray(0, take));
      budget -= take;
      this.credit -= take;
      if (take === head.length) this.queue.shift();
      else this.queue[0] = head.subarray(take);
    }
    if (out.length > 0) this.sink(Buffer.concat(out));
    this.timer = this.queue.length > 0 ? setTimeout(() => this.pump(), 5) : undefined;
  }

  close(): void {
    clearTimeout(this.timer);
    this.queue = [];
  }
}
