// bme280 (Lua): NodeMCU's Lua module for BME280/BMP280 sensors on I²C, loaded with
// `const b = require("bme280")`. It needs the i2c and bme280_math modules in the firmware; the
// global `bme280` is the older C module (bme280.d.ts). Values are floats: °C, hPa, %.
declare namespace bme280 {
  /** Temperature, pressure, humidity and (with an altitude) sea-level pressure; all nil when the readout failed. */
  type LuaReading = LuaMultiReturn<[T: number, P: number, H: number, QNH?: number] | [undefined]>;
  /** The module table require("bme280") returns. */
  interface Module {
    /**
     * A sensor on I²C bus id at address 1 (0x76, default) or 2 (0x77), with oversampling (0–5) of
     * temperature, pressure and humidity, sensor mode, standby (0–7), IIR filter (0–4) and
     * cold_start 0 to skip the chip's initialisation; nil when no sensor answered.
     */
    setup(
      this: void,
      id: number,
      address?: 1 | 2,
      temp_oss?: number,
      press_oss?: number,
      humi_oss?: number,
      sensor_mode?: number,
      inactive_duration?: number,
      IIR_filter?: number,
      cold_start?: 0 | 1,
    ): Sensor | undefined;
  }
  /** A sensor; its methods are called with `:`. */
  interface Sensor {
    /** Initializes again, with the same arguments as the module's setup. */
    setup(
      id: number,
      address?: 1 | 2,
      temp_oss?: number,
      press_oss?: number,
      humi_oss?: number,
      sensor_mode?: number,
      inactive_duration?: number,
      IIR_filter?: number,
      cold_start?: 0 | 1,
    ): Sensor | undefined;
    /** Reads the sensor; with an altitude in metres also the sea-level pressure. */
    read(altitude?: number): LuaReading;
    /**
     * Starts a forced-mode readout and calls back with read()'s values after delay ms (default 113).
     * The docs show (delay, callback); lua_modules/bme280/bme280.lua takes the callback first, as here.
     */
    startreadout(
      callback: (this: void, T?: number, P?: number, H?: number, QNH?: number) => void,
      delay?: number,
      altitude?: number,
    ): void;
    /** Altitude in metres for pressure P and sea-level pressure QNH (hPa). */
    altitude(P: number, QNH: number): number;
    /** Dew point in °C for humidity H (%) and temperature T (°C). */
    dewpoint(H: number, T: number): number;
    /** Sea-level pressure for pressure P (hPa) measured at an altitude in metres. */
    qfe2qnh(P: number, altitude: number): number;
  }
}
interface NodeMCULuaModules {
  bme280: bme280.Module;
}
