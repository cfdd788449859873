// The hardware around a test board as plain data: what `boot({ io })` puts on the board before it
// powers on. Afterwards a test drives and reads it through the board's Peripherals (board.io),
// the model `mcu emulate --io` serves (tools/emulator/io.ts).

import type { Peripherals } from "../emulator/hardware/peripherals.ts";
import type { DhtSensor } from "../emulator/nodemcu/dht/dht.ts";

export interface Hardware {
  /** What adc.read(0) reads, 0..1024. */
  adc?: number;
  /** What adc.readvdd33() reads, in mV. */
  vdd33?: number;
  /** Pins driven from outside (a button, a sensor's line), by NodeMCU pin number: 0 or 1. */
  pins?: Record<number, 0 | 1>;
  /** A DHT sensor on each pin: model, temperature, humidity, and optionally a fault. */
  dht?: Record<number, DhtSensor>;
  /** A DS18B20 on the 1-Wire bus of each pin, measuring this many °C. */
  ds18b20?: Record<number, number>;
  /** A BME280 on the I2C bus (address 0x76). */
  bme280?: { temperature: number; humidity?: number; pressure?: number };
}

/** Puts `hw` on the board; a value out of range throws a RangeError that names it. */
export function wire(io: Peripherals, hw: Hardware): void {
  const each = <T>(table: Record<number, T> | undefined, f: (pin: number, v: T) => void) => {
    for (const [pin, v] of Object.entries(table ?? {})) f(Number(pin), v);
  };
  if (hw.adc !== undefined) io.setAdc(hw.adc);
  if (hw.vdd33 !== undefined) io.setVdd33(hw.vdd33);
  each(hw.pins, (pin, level) => io.setPin(pin, level));
  each(hw.dht, (pin, sensor) => io.setDht(pin, sensor));
  each(hw.ds18b20, (pin, celsius) => void io.setDs18b20(pin, celsius));
  if (hw.bme280) io.setBme280(hw.bme280.temperature, hw.bme280.humidity, hw.bme280.pressure);
}
