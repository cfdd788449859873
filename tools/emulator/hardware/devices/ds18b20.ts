// A DS18B20 thermometer on a 1-Wire bus, at the level of time slots: ROM commands (search, alarm
// search, match, skip, read ROM), then Convert T, Read/Write Scratchpad and Read Power Supply, as
// Maxim's DS18B20 datasheet describes them. The host sets the temperature it measures.
import { crc8, type OneWireDevice } from "./onewire.ts";

const SEARCH = 0xf0;
const ALARM_SEARCH = 0xec;
const READ_ROM = 0x33;
const MATCH_ROM = 0x55;
const SKIP_ROM = 0xcc;
const CONVERT_T = 0x44;
const READ_SCRATCHPAD = 0xbe;
const WRITE_SCRATCHPAD = 0x4e;
const READ_POWER_SUPPLY = 0xb4;
export const DS18B20_FAMILY = 0x28;

/** tCONV at 9..12 bits (datasheet: 93.75, 187.5, 375, 750 ms maximum). */
const CONVERSION_MS = [93.75, 187.5, 375, 750];

type State =
  | { kind: "idle" }
  | { kind: "command"; bits: number; value: number; rom: boolean }
  | { kind: "send"; bits: number[] }
  | { kind: "match"; bits: number }
  | { kind: "search"; bit: number; phase: 0 | 1 | 2 }
  | { kind: "receive"; bytes: number[]; bits: number; value: number }
  | { kind: "converting" };

export class Ds18b20 implements OneWireDevice {
  /** What the sensor measures, °C. */
  temperature: number;
  readonly rom: Buffer;
  /** Scratchpad bytes 0..8 as at power-up: 85 °C, TH 75, TL 70, 12 bits (datasheet). */
  private pad = [0x50, 0x05, 0x4b, 0x46, 0x7f, 0xff, 0x0c, 0x10];
  private state: State = { kind: "idle" };
  private doneAt = 0;
  private pending: number | undefined;

  /** `serial`: the 48-bit serial number; `now`: the board's clock in ms. */
  constructor(
    temperature: number,
    serial: number,
    private readonly now: () => number,
  ) {
    this.temperature = temperature;
    const rom = [DS18B20_FAMILY];
    for (let i = 0; i < 6; i++) rom.push(Math.floor(serial / 2 ** (8 * i)) & 0xff);
    this.rom = Buffer.from([...rom, crc8(rom)]);
  }

  reset(): boolean {
    this.finish();
    this.state = { kind: "command", bits: 0, value: 0, rom: true };
    return true;
  }

  writeBit(bit: number): void {
    const s = this.state;
    if (s.kind === "command" || s.kind === "receive") {
      s.value |= bit << s.bits;
      if (++s.bits === 8) s.kind === "command" ? this.command(s.value, s.rom) : this.received(s);
    } else if (s.kind === "match") {
      if (bit !== this.romBit(s.bits)) this.state = { kind: "idle" };
      else if (++s.bits === 64) this.state = { kind: "command", bits: 0, value: 0, rom: false };
    } else if (s.kind === "search" && s.phase === 2) {
      // A device whose bit the master did not choose leaves the search.
      if (bit !== this.romBit(s.bit)) this.state = { kind: "idle" };
      else if (s.bit === 63) this.state = { kind: "command", bits: 0, value: 0, rom: false };
      else this.state = { kind: "search", bit: s.bit + 1, phase: 0 };
    }
  }

  readBit(): number {
    const s = this.state;
    if (s.kind === "send") return s.bits.shift() ?? 1;
    if (s.kind === "search" && s.phase < 2) {
      const b = this.romBit(s.bit);
      s.phase = s.phase === 0 ? 1 : 2;
      return s.phase === 1 ? b : b ^ 1;
    }
    // During a conversion read slots say 0 until it is done (datasheet, Convert T).
    if (s.kind === "converting") return this.finish() ? 1 : 0;
    return 1;
  }

  private romBit(i: number): number {
    return (this.rom[i >> 3]! >> (i & 7)) & 1;
  }

  private command(value: number, rom: boolean): void {
    if (rom) {
      if (value === SEARCH || (value === ALARM_SEARCH && this.alarm()))
        this.state = { kind: "search", bit: 0, phase: 0 };
      else if (value === READ_ROM) this.state = { kind: "send", bits: bitsOf([...this.rom]) };
      else if (value === MATCH_ROM) this.state = { kind: "match", bits: 0 };
      else if (value === SKIP_ROM) this.state = { kind: "command", bits: 0, value: 0, rom: false };
      else this.state = { kind: "idle" };
      return;
    }
    if (value === CONVERT_T) {
      this.pending = this.temperature;
      this.doneAt = this.now() + CONVERSION_MS[(this.pad[4]! >> 5) & 3]!;
      this.state = { kind: "converting" };
    } else if (value === READ_SCRATCHPAD) {
      this.finish();
      this.state = { kind: "send", bits: bitsOf([...this.pad, crc8(this.pad)]) };
    } else if (value === WRITE_SCRATCHPAD) this.state = { kind: "receive", bytes: [], bits: 0, value: 0 };
    // Externally powered: read slots give 1 (a parasite-powered part would pull them low).
    else if (value === READ_POWER_SUPPLY) this.state = { kind: "send", bits: [] };
    else this.state = { kind: "idle" };
  }

  /** Write Scratchpad: TH, TL and the configuration byte (only its resolution bits count). */
  private received(s: { bytes: number[]; bits: number; value: number }): void {
    s.bytes.push(s.value);
    s.bits = 0;
    s.value = 0;
    const index = [2, 3, 4][s.bytes.length - 1]!;
    this.pad[index] = index === 4 ? (s.bytes.at(-1)! & 0x60) | 0x1f : s.bytes.at(-1)!;
    if (s.bytes.length === 3) this.state = { kind: "idle" };
  }

  /** A conversion whose time is up puts its reading in the scratchpad; true once none is running. */
  private finish(): boolean {
    if (this.pending === undefined) return true;
    // The host's timers may fire up to 1 ms early: a conversion that long is done.
    if (this.now() + 1 < this.doneAt) return false;
    const resolution = (this.pad[4]! >> 5) & 3;
    const drop = 3 - resolution;
    const raw = (Math.round(this.pending * 16) >> drop) << drop;
    this.pad[0] = raw & 0xff;
    this.pad[1] = (raw >> 8) & 0xff;
    this.pending = undefined;
    return true;
  }

  /** The alarm flag: the last reading at or above TH or at or below TL (signed whole degrees). */
  private alarm(): boolean {
    const t = ((((this.pad[1]! << 8) | this.pad[0]!) << 16) >> 16) >> 4;
    const th = (this.pad[2]! << 24) >> 24;
    const tl = (this.pad[3]! << 24) >> 24;
    return t >= th || t <= tl;
  }
}

function bitsOf(bytes: number[]): number[] {
  return bytes.flatMap((b) => [0, 1, 2, 3, 4, 5, 6, 7].map((i) => (b >> i) & 1));
}
