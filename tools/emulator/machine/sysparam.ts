// The flash a board keeps outside SPIFFS, by key: the SDK's system parameter area (the saved
// station config, opmode, hostname) and NodeMCU's RCR records (startup command and options,
// partition table; app/platform/platform.h:349-358). Kept by the Board object, so it survives
// restart, deep sleep and power cuts as flash does, but not the emulator process.
import type { HostFactory, HostModule } from "../runtime/host-half.ts";

export class SysParam {
  private readonly values = new Map<string, string>();

  readonly calls: HostModule = {
    get: (a) => this.values.get(a.text(0)) ?? null,
    /** set(key) without a value deletes the record. */
    set: (a) => {
      if (a.length > 1) this.values.set(a.text(0), a.text(1));
      else this.values.delete(a.text(0));
    },
    /** system_restore(): the SDK's own parameters back to defaults; NodeMCU's RCR records stay. */
    restore: () => {
      for (const k of [...this.values.keys()]) if (k.startsWith("sdk.")) this.values.delete(k);
    },
  };

  get(key: string): string | undefined {
    return this.values.get(key);
  }
}

export const sysparamHost: HostFactory = () => new SysParam();

declare module "../runtime/host-half.ts" {
  interface HostHalves {
    sysparam: SysParam;
  }
}
