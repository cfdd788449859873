// adc's host half (adc.lua): the TOUT pin's reading and the supply voltage, both set by the
// host, and the ADC mode byte 107 of the PHY init data (app/modules/adc.c:28-59), which lives in
// flash and so takes effect at the next boot.
import type { HostFactory, HostModule } from "../../runtime/host-half.ts";

/** adc.INIT_ADC and adc.INIT_VDD33 (app/modules/adc.c:66-67). */
const INIT_ADC = 0x00;
const INIT_VDD33 = 0xff;
/** What the SDK answers for the reading the mode does not allow (docs/modules/adc.md). */
const UNAVAILABLE = 65535;

export class AdcHost {
  /** The TOUT reading, 0..1024 (10 bits; docs/modules/adc.md). */
  value = 0;
  /** The supply voltage in mV, as adc.readvdd33 reads it. */
  vdd33 = 3300;
  /** Byte 107 as in flash (the PHY init data default: external pin). */
  private stored = INIT_ADC;
  private mode = INIT_ADC;

  readonly calls: HostModule = {
    read: () => (this.mode === INIT_ADC ? this.value : UNAVAILABLE),
    readvdd33: () => (this.mode === INIT_VDD33 ? this.vdd33 : UNAVAILABLE),
    /** true when it changed the stored byte, false when it already held it (adc.c:43-57). */
    force: (a) => {
      const changed = this.stored !== a.number(0);
      this.stored = a.number(0);
      return changed;
    },
  };

  /** The SDK reads byte 107 at boot. */
  boot(): void {
    this.mode = this.stored;
  }
}

export const adcHost: HostFactory = () => new AdcHost();

declare module "../../runtime/host-half.ts" {
  interface HostHalves {
    adc: AdcHost;
  }
}
