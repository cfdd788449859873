// dht: DHT11/12/21/22/33/44 temperature and humidity sensors on one pin.
/** @noSelf */
declare namespace dht {
  /** status, temperature, humidity, and their decimal parts (for integer builds). */
  type Reading = LuaMultiReturn<[status: number, temp: number, humi: number, temp_dec: number, humi_dec: number]>;
  /** Reads any DHT sensor (18 ms wake-up); DHT11 negatives and DHT12 need their own reader. */
  function read(pin: number): Reading;
  /** Reads a DHT11. */
  function read11(pin: number): Reading;
  /** Reads a DHT12. */
  function read12(pin: number): Reading;
  /** Reads DHT21/22/33/44 with a 1 ms wake-up. */
  function readxx(pin: number): Reading;
  /** The reading is good. */
  const OK: 0;
  /** The checksum did not match. */
  const ERROR_CHECKSUM: -1;
  /** The sensor did not answer in time. */
  const ERROR_TIMEOUT: -2;
}
