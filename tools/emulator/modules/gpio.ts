// gpio's host half (lua/gpio.lua): the level of each pin as the firmware drives it.
import type { HostModule } from "../runtime.ts";

export class GpioHost {
  /** Pin levels by NodeMCU index. */
  readonly levels = new Map<number, number>();

  readonly calls: HostModule = {
    mode: () => {},
    write: (a) => {
      this.levels.set(a.number(0), a.number(1) === 0 ? 0 : 1);
    },
    read: (a) => this.levels.get(a.number(0)) ?? 0,
  };
}
