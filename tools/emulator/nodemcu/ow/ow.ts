// ow's host half (ow.lua): one 1-Wire bus per pin with the devices the host put there, and
// the master's side of app/driver/onewire.c: reset, byte I/O and the ROM search (Maxim's search
// algorithm, with its state kept per pin as onewire.c:72-75 keeps it).
import { crc8, crc16, OneWireBus, type OneWireDevice } from "../../hardware/devices/onewire.ts";
import type { HostFactory, HostModule } from "../../runtime/host-half.ts";
import { pullUp } from "../gpio/gpio.ts";

interface SearchState {
  rom: number[];
  lastDiscrepancy: number;
  lastDevice: boolean;
}

const newSearch = (): SearchState => ({ rom: [0, 0, 0, 0, 0, 0, 0, 0], lastDiscrepancy: 0, lastDevice: false });

export class OwHost {
  private readonly buses = new Map<number, OneWireBus>();
  private searches = new Map<number, SearchState>();

  /** `input`: ow.setup makes the pin an input with pull-up (onewire.c:92-99). */
  constructor(private readonly input: (pin: number) => void) {}

  readonly calls: HostModule = {
    setup: (a) => {
      this.input(a.number(0));
      this.searches.set(a.number(0), newSearch());
    },
    reset: (a) => (this.bus(a.number(0)).reset() ? 1 : 0),
    write: (a) => {
      const bus = this.bus(a.number(0));
      for (const b of a.bytes(1)) bus.write(b);
    },
    read: (a) => {
      const bus = this.bus(a.number(0));
      return Buffer.from(Array.from({ length: a.number(1) }, () => bus.read()));
    },
    reset_search: (a) => void this.searches.set(a.number(0), newSearch()),
    // onewire.c:278-289: the next search starts at that family code.
    target_search: (a) =>
      void this.searches.set(a.number(0), {
        ...newSearch(),
        rom: [a.number(1), 0, 0, 0, 0, 0, 0, 0],
        lastDiscrepancy: 64,
      }),
    search: (a) => this.search(a.number(0), a.number(1) !== 0),
    crc8: (a) => crc8(a.bytes(0)),
    crc16: (a) => crc16(a.bytes(0), a.number(1)),
  };

  /** The search state is the firmware's (static in onewire.c:72-75): gone at boot; the devices stay. */
  boot(): void {
    this.searches.clear();
  }

  /** The bus on `pin` (devices are attached by the host). */
  bus(pin: number): OneWireBus {
    const bus = this.buses.get(pin) ?? new OneWireBus();
    this.buses.set(pin, bus);
    return bus;
  }

  attach(pin: number, device: OneWireDevice): void {
    this.bus(pin).devices.push(device);
  }

  /** One step of the ROM search: the next device's 8 ROM bytes, or nil when there is none left (onewire.c:306-428). */
  private search(pin: number, alarm: boolean): Buffer | undefined {
    const s = this.searches.get(pin) ?? newSearch();
    this.searches.set(pin, s);
    const bus = this.bus(pin);
    let found = false;
    if (!s.lastDevice) {
      if (!bus.reset()) {
        this.searches.set(pin, newSearch());
        return undefined;
      }
      bus.write(alarm ? 0xec : 0xf0);
      let lastZero = 0;
      let bit = 1;
      for (; bit <= 64; bit++) {
        const idBit = bus.readBit();
        const cmpBit = bus.readBit();
        if (idBit === 1 && cmpBit === 1) break; // no device answers
        const byte = (bit - 1) >> 3;
        const mask = 1 << ((bit - 1) & 7);
        let direction: number;
        if (idBit !== cmpBit) direction = idBit;
        else {
          direction = bit < s.lastDiscrepancy ? (s.rom[byte]! & mask ? 1 : 0) : bit === s.lastDiscrepancy ? 1 : 0;
          if (direction === 0) lastZero = bit;
        }
        s.rom[byte] = direction ? s.rom[byte]! | mask : s.rom[byte]! & ~mask;
        bus.writeBit(direction);
      }
      if (bit > 64) {
        s.lastDiscrepancy = lastZero;
        s.lastDevice = lastZero === 0;
        found = true;
      }
    }
    if (!found || s.rom[0] === 0) {
      this.searches.set(pin, newSearch());
      return undefined;
    }
    return Buffer.from(s.rom);
  }
}

export const owHost: HostFactory = (board) => new OwHost(pullUp(board));

declare module "../../runtime/host-half.ts" {
  interface HostHalves {
    ow: OwHost;
  }
}
