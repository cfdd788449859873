// dht's host half (dht.lua): sensors the host puts on pins. A sensor sends the 5 bytes its
// model sends; the board decodes them as app/dht/dht.c:76-157 does for the read function the
// firmware called, so reading a DHT22 with dht.read11 gives what a real board gives.
import type { HostFactory, HostModule } from "../../runtime/host-half.ts";
import { pullUp } from "../gpio/gpio.ts";

/** DHTLIB_OK, ERROR_CHECKSUM, ERROR_TIMEOUT, INVALID_VALUE (app/dht/dht.h:24-27). */
const OK = 0;
const ERROR_CHECKSUM = -1;
const ERROR_TIMEOUT = -2;
const INVALID = -999;
/** dht_type (dht.h:49-54): dht.read11 DHT11, read12 DHT12, read and readxx DHT_NON11. */
const DHT11 = 0;
const DHT12 = 1;

export interface DhtSensor {
  /** "dht11" sends whole units and tenths in separate bytes; "dht22" (also DHT21/33/44) tenths in 16 bits. */
  model: "dht11" | "dht22";
  temperature: number;
  humidity: number;
  /** "timeout": the sensor does not answer; "checksum": its checksum byte is wrong. */
  fault?: "timeout" | "checksum";
}

/** The 5 bytes a sensor sends (its datasheet's frame), with a bad checksum when asked. */
function frame(s: DhtSensor): number[] {
  const neg = s.temperature < 0;
  const t10 = Math.round(Math.abs(s.temperature) * 10);
  const h10 = Math.round(s.humidity * 10);
  let bytes: number[];
  if (s.model === "dht22") bytes = [h10 >> 8, h10 & 0xff, (t10 >> 8) | (neg ? 0x80 : 0), t10 & 0xff];
  else if (neg) {
    // A negative DHT11 reading is -1 - whole + tenths (dht.c:129-132).
    const whole = Math.ceil(t10 / 10) - 1;
    bytes = [Math.floor(h10 / 10), h10 % 10, whole, 0x80 | ((whole + 1) * 10 - t10)];
  } else bytes = [Math.floor(h10 / 10), h10 % 10, Math.floor(t10 / 10), t10 % 10];
  const sum = (bytes[0]! + bytes[1]! + bytes[2]! + bytes[3]!) & 0xff;
  return [...bytes, s.fault === "checksum" ? sum ^ 0xff : sum];
}

/** dht_read's decoding (dht.c:97-156): [status, temperature, humidity]. */
function decode(b: number[], type: number): [number, number, number] {
  let humidity = b[0]!;
  let temperature = b[2]!;
  if (b[1] === 0 && b[3] === 0 && b[4] === ((b[0]! + b[2]!) & 0xff)) return [OK, temperature, humidity];
  if (type === DHT11 || type === DHT12) humidity += b[1]! * 0.1;
  else humidity = ((b[0]! << 8) | b[1]!) * 0.1;
  if (type === DHT11) {
    if (b[3]! & 0x80) temperature = -1 - temperature;
    temperature += (b[3]! & 0x0f) * 0.1;
  } else if (type === DHT12) {
    temperature += (b[3]! & 0x0f) * 0.1;
    if (b[2]! & 0x80) temperature *= -1;
  } else {
    temperature = (((b[2]! & 0x7f) << 8) | b[3]!) * 0.1;
    if (b[2]! & 0x80) temperature *= -1;
  }
  const sum = (b[0]! + b[1]! + b[2]! + b[3]!) & 0xff;
  return [b[4] === sum ? OK : ERROR_CHECKSUM, temperature, humidity];
}

export class DhtHost {
  /** Sensors by pin. */
  readonly sensors = new Map<number, DhtSensor>();

  /** `input`: the pin ends as an input with pull-up, as dht_readSensor leaves it (dht.c:186-198). */
  constructor(private readonly input: (pin: number) => void) {}

  readonly calls: HostModule = {
    /** status, temp, humi, tempdec, humidec (app/modules/dht.c:18-37). */
    read: (a) => {
      const pin = a.number(0);
      this.input(pin);
      const s = this.sensors.get(pin);
      const [status, t, h] =
        !s || s.fault === "timeout" ? [ERROR_TIMEOUT, INVALID, INVALID] : decode(frame(s), a.number(1));
      const [temperature, humidity] = status === ERROR_TIMEOUT ? [INVALID, INVALID] : [t, h];
      return [
        status,
        temperature,
        humidity,
        Math.trunc((temperature - Math.trunc(temperature)) * 1000),
        Math.trunc((humidity - Math.trunc(humidity)) * 1000),
      ];
    },
  };
}

export const dhtHost: HostFactory = (board) => new DhtHost(pullUp(board));

declare module "../../runtime/host-half.ts" {
  interface HostHalves {
    dht: DhtHost;
  }
}
