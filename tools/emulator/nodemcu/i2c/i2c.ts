// i2c's host half (i2c.lua): the bus with the devices the host put on it, as the master's
// byte-level calls of app/modules/i2c.c reach them. The default build uses the old software
// master (I2C_MASTER_OLD_VERSION, app/include/user_config.h:208): one bus, id 0
// (app/platform/cpu_esp8266.h:22-26), always "configured" and always 100 kHz
// (app/driver/i2c_master.c:511-514, 417, 547).
import type { I2cDevice } from "../../hardware/devices/bme280.ts";
import type { HostFactory, HostModule } from "../../runtime/host-half.ts";
import { pullUp } from "../gpio/gpio.ts";

/** I2C_MASTER_SPEED of the old driver (app/driver/i2c_master.c:417). */
const SPEED = 100000;

export class I2cHost {
  readonly devices = new Map<number, I2cDevice>();
  private ready = false;
  private current: I2cDevice | undefined;
  private reading = false;

  /** `input`: setup makes both pins inputs with pull-up (app/platform/platform.c:710-720). */
  constructor(private readonly input: (pin: number) => void) {}

  readonly calls: HostModule = {
    setup: (a) => {
      this.input(a.number(1));
      this.input(a.number(2));
      this.ready = true;
      return SPEED;
    },
    start: () => {
      this.current = undefined;
    },
    stop: () => {
      this.current?.stop();
      this.current = undefined;
    },
    // The address byte: the device with that address ACKs (true); none, or a bus not set up, leaves it unacknowledged.
    address: (a) => {
      const device = this.ready ? this.devices.get(a.number(0)) : undefined;
      this.current = device;
      this.reading = a.number(1) !== 0;
      device?.start(this.reading);
      return device !== undefined;
    },
    /** Sends bytes until one is not acknowledged; answers how many were. */
    write: (a) => {
      let n = 0;
      for (const byte of a.bytes(0)) {
        if (!this.current || this.reading || !this.current.write(byte)) break;
        n++;
      }
      return n;
    },
    // With no device driving SDA, the pull-up reads as 1s.
    read: (a) =>
      Buffer.from(
        Array.from({ length: a.number(0) }, () => (this.current && this.reading ? this.current.read() : 0xff)),
      ),
  };

  boot(): void {
    this.ready = false;
    this.current = undefined;
  }

  attach(device: I2cDevice): void {
    this.devices.set(device.address, device);
  }
}

export const i2cHost: HostFactory = (board) => new I2cHost(pullUp(board));

declare module "../../runtime/host-half.ts" {
  interface HostHalves {
    i2c: I2cHost;
  }
}
