// A 1-Wire bus as the master sees it, slot by slot: a reset with presence pulse, write slots and
// read slots, where the line is the wired AND of what every device lets it be (1 when idle).
// The Dallas/Maxim CRCs the bus uses are here too.

/** A device on the bus, seen one time slot at a time. */
export interface OneWireDevice {
  /** A reset pulse: the device answers with presence (true) and waits for a ROM command. */
  reset(): boolean;
  writeBit(bit: number): void;
  /** The bit it puts on the line in a read slot (1: it lets the line float high). */
  readBit(): number;
}

export class OneWireBus {
  readonly devices: OneWireDevice[] = [];

  reset(): boolean {
    return this.devices.map((d) => d.reset()).some(Boolean);
  }

  writeBit(bit: number): void {
    for (const d of this.devices) d.writeBit(bit);
  }

  readBit(): number {
    return this.devices.map((d) => d.readBit()).reduce((a, b) => a & b, 1);
  }

  /** A byte, least significant bit first. */
  write(byte: number): void {
    for (let i = 0; i < 8; i++) this.writeBit((byte >> i) & 1);
  }

  read(): number {
    let byte = 0;
    for (let i = 0; i < 8; i++) byte |= this.readBit() << i;
    return byte;
  }
}

/** Dallas CRC-8 (x^8 + x^5 + x^4 + 1, bits in least significant first), as ow.crc8 computes it. */
export function crc8(bytes: Iterable<number>): number {
  let crc = 0;
  for (let byte of bytes) {
    for (let i = 0; i < 8; i++) {
      const mix = (crc ^ byte) & 1;
      crc >>= 1;
      if (mix) crc ^= 0x8c;
      byte >>= 1;
    }
  }
  return crc;
}

/** Dallas CRC-16 (x^16 + x^15 + x^2 + 1, reflected), continuing from `crc`, as ow.crc16. */
export function crc16(bytes: Iterable<number>, crc = 0): number {
  for (const byte of bytes) {
    crc ^= byte;
    for (let i = 0; i < 8; i++) crc = crc & 1 ? (crc >> 1) ^ 0xa001 : crc >> 1;
  }
  return crc;
}
