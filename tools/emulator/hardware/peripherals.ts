// What the host sees and drives of an emulated board's hardware while it runs: input pins, the
// ADC, DHT sensors, DS18B20s and BME280s it attaches, and the outputs (pin levels, PWM) the firmware sets.
// Tests use it through Board.io; `mcu emulate --io` speaks it over a socket (io.ts).
import { EventEmitter } from "node:events";
import type { AdcHost } from "../nodemcu/adc/adc.ts";
import type { DhtHost, DhtSensor } from "../nodemcu/dht/dht.ts";
import { GPIO_PINS, type GpioHost } from "../nodemcu/gpio/gpio.ts";
import type { I2cHost } from "../nodemcu/i2c/i2c.ts";
import type { OwHost } from "../nodemcu/ow/ow.ts";
import type { PwmHost, PwmOutput } from "../nodemcu/pwm/pwm.ts";
import type { Pwm2Host, Pwm2Output } from "../nodemcu/pwm2/pwm2.ts";
import { Bme280 } from "./devices/bme280.ts";
import { Ds18b20 } from "./devices/ds18b20.ts";

export interface PeripheralHosts {
  gpio: GpioHost;
  adc: AdcHost;
  pwm: PwmHost;
  pwm2: Pwm2Host;
  dht: DhtHost;
  ow: OwHost;
  i2c: I2cHost;
  /** The board's clock in ms (a DS18B20's conversion time runs on it). */
  now: () => number;
}

/** Emits "gpio" (pin, level) when a pin's level changes and "pwm" (pin, clock, duty) when a PWM output does. */
export class Peripherals extends EventEmitter {
  private readonly thermometers = new Map<string, Ds18b20>();

  constructor(private readonly hosts: PeripheralHosts) {
    super();
    hosts.gpio.on("level", (pin: number, level: number) => this.emit("gpio", pin, level));
    hosts.pwm.on("pwm", (pin: number, clock: number, duty: number) => this.emit("pwm", pin, clock, duty));
  }

  /** Drives `pin` to `level` (0 or 1) from outside, as a button or a sensor would; undefined lets go. */
  setPin(pin: number, level: number | undefined): void {
    checkPin(pin);
    if (level !== undefined && level !== 0 && level !== 1) throw new RangeError(`a pin level is 0 or 1, not ${level}`);
    this.hosts.gpio.drive(pin, level);
  }

  /** A pin's level on the pad and its gpio mode (0 INPUT, 1 OUTPUT, 2 INT, 3 OPENDRAIN). */
  pin(pin: number): { level: number; mode: number } {
    checkPin(pin);
    return { level: this.hosts.gpio.level(pin), mode: this.hosts.gpio.mode(pin) };
  }

  /** What adc.read(0) reads: 0..1024. */
  setAdc(value: number): void {
    if (!Number.isInteger(value) || value < 0 || value > 1024)
      throw new RangeError(`the ADC reads 0..1024, not ${value}`);
    this.hosts.adc.value = value;
  }

  /** What adc.readvdd33() reads, in mV. */
  setVdd33(mv: number): void {
    if (!Number.isInteger(mv) || mv < 0 || mv > 65534) throw new RangeError(`vdd33 is whole mV, 0..65534, not ${mv}`);
    this.hosts.adc.vdd33 = mv;
  }

  /** A PWM pin's clock and output duty, or undefined when the pin is no PWM channel. */
  pwm(pin: number): PwmOutput | undefined {
    checkPin(pin);
    return this.hosts.pwm.pin(pin);
  }

  /** A pwm2 pin's frequency (Hz), duty, resolution and whether pwm2 runs, or undefined when it is not set up. */
  pwm2(pin: number): Pwm2Output | undefined {
    checkPin(pin);
    return this.hosts.pwm2.pin(pin);
  }

  /** Puts a DHT sensor on `pin` (or changes it); undefined takes it away. */
  setDht(pin: number, sensor: DhtSensor | undefined): void {
    checkPin(pin);
    if (sensor) this.hosts.dht.sensors.set(pin, { ...sensor });
    else this.hosts.dht.sensors.delete(pin);
  }

  /**
   * Sets what the DS18B20 with serial number `serial` on `pin` measures, putting it on that bus
   * first if it is not there. Returns its ROM code as hex.
   */
  setDs18b20(pin: number, temperature: number, serial = 1): string {
    checkPin(pin);
    if (!Number.isFinite(temperature) || temperature < -55 || temperature > 125)
      throw new RangeError(`a DS18B20 measures -55..125 °C, not ${temperature}`);
    const key = `${pin}:${serial}`;
    let t = this.thermometers.get(key);
    if (!t) {
      t = new Ds18b20(temperature, serial, this.hosts.now);
      this.thermometers.set(key, t);
      this.hosts.ow.attach(pin, t);
    }
    t.temperature = temperature;
    return t.rom.toString("hex");
  }

  /**
   * Sets what the BME280 at I2C address `address` (0x76 or 0x77) measures, putting it on the bus
   * first: °C, and optionally %RH and hPa (unchanged when not given).
   */
  setBme280(temperature: number, humidity?: number, pressure?: number, address = 0x76): void {
    if (address !== 0x76 && address !== 0x77)
      throw new RangeError(`a BME280 answers at 0x76 or 0x77, not 0x${address.toString(16)}`);
    if (!Number.isFinite(temperature) || temperature < -40 || temperature > 85)
      throw new RangeError(`a BME280 measures -40..85 °C, not ${temperature}`);
    if (humidity !== undefined && !(humidity >= 0 && humidity <= 100))
      throw new RangeError(`humidity is 0..100 %RH, not ${humidity}`);
    if (pressure !== undefined && !(pressure >= 300 && pressure <= 1100))
      throw new RangeError(`a BME280 measures 300..1100 hPa, not ${pressure}`);
    const found = this.hosts.i2c.devices.get(address);
    const chip = found instanceof Bme280 ? found : new Bme280(address);
    this.hosts.i2c.attach(chip);
    chip.temperature = temperature;
    if (humidity !== undefined) chip.humidity = humidity;
    if (pressure !== undefined) chip.pressure = pressure;
  }
}

function checkPin(pin: number): void {
  if (!Number.isInteger(pin) || pin < 0 || pin >= GPIO_PINS)
    throw new RangeError(`NodeMCU pins are 0..${GPIO_PINS - 1}, not ${pin}`);
}
