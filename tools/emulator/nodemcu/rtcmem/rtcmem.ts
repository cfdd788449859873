// rtcmem's host half (rtcmem.lua): 128 32-bit slots of RTC memory. A restart keeps them.
import type { HostFactory, HostModule } from "../../runtime/host-half.ts";

export class RtcmemHost {
  /** Noise after power-on. */
  private readonly slots = Array.from({ length: 128 }, () => (Math.random() * 2 ** 32) >>> 0);

  readonly calls: HostModule = {
    read: (a) => this.slots[a.number(0)] ?? 0,
    // rtc_mem_write stores (uint32_t) of the integer: the low 32 bits.
    write: (a) => {
      this.slots[a.number(0)] = a.number(1) >>> 0;
    },
  };

  /** A slot as stored (unsigned), for tests. */
  slot(i: number): number {
    return this.slots[i]!;
  }
}

export const rtcmemHost: HostFactory = () => new RtcmemHost();

declare module "../../runtime/host-half.ts" {
  interface HostHalves {
    rtcmem: RtcmemHost;
  }
}
