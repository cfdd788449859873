// bme280: the BME280/BMP280 C module over I²C (i2c.setup first), in fixed-point integers. The Lua
// module of the same name, require("bme280"), is in bme280-lua.d.ts.
/** @noSelf */
declare namespace bme280 {
  /** Altitude in metres × 100 for pressure P and sea-level pressure QNH (both hPa × 1000). */
  function altitude(P: number, QNH: number): number;
  /** Pressure in hPa × 1000 and temperature in °C × 100; nil when the readout failed. */
  function baro(): LuaMultiReturn<[P: number, T: number] | [undefined, undefined]>;
  /** Dew point in °C × 100 for humidity H (% × 1000) and temperature T (°C × 100). */
  function dewpoint(H: number, T: number): number;
  /** Relative humidity in % × 1000 and temperature in °C × 100; nil when the readout failed. */
  function humi(): LuaMultiReturn<[H: number, T: number] | [undefined, undefined]>;
  /** Sea-level pressure for pressure P (hPa × 1000) measured at an altitude in metres. */
  function qfe2qnh(P: number, altitude: number): number;
  /** Temperature (°C × 100), pressure and humidity (× 1000), and with an altitude the sea-level pressure; each nil if not read. */
  function read(altitude?: number): LuaMultiReturn<[T?: number, P?: number, H?: number, QNH?: number]>;
  /** Starts a forced-mode readout and calls back after delay ms (0: 113 ms). */
  function startreadout(delay: number, callback?: (this: void) => void): void;
  /**
   * Initializes the sensor: oversampling (0–5) of temperature, pressure and humidity, sensor mode
   * (0 sleep, 1/2 forced, 3 normal), standby (0–7), IIR filter (0–4), cold_start 0 to skip the chip's
   * initialisation. 2 for a BME280, 1 for a BMP280, nil when no sensor answered.
   */
  function setup(
    temp_oss?: number,
    press_oss?: number,
    humi_oss?: number,
    sensor_mode?: number,
    inactive_duration?: number,
    IIR_filter?: number,
    cold_start?: 0 | 1,
  ): 1 | 2 | undefined;
  /** Temperature in °C × 100 and the internal t_fine; nil when the readout failed. */
  function temp(): LuaMultiReturn<[T: number, t_fine: number] | [undefined, undefined]>;
}
