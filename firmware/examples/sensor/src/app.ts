// A sensor node: every READ_EVERY_MS it reads a DS18B20 on the 1-Wire bus at pin THERMOMETER and
// publishes {"t":<°C>} on the device's `out` topic; "relay on" / "relay off" on its `in` topic
// switch the relay on pin RELAY and are answered with {"relay":1|0}. The session (Wi-Fi, MQTT,
// status, will, floods) is the library's (firmware/src/session.ts): only what differs is here.
// Build it with: mcu build --app firmware/examples/sensor (or ./flash.sh --app …).

import { MESSAGE_QOS } from "./contract";
import { start } from "./session";

/** NodeMCU pin numbers (D3 and D1 on a NodeMCU dev board). */
const THERMOMETER = 3;
const RELAY = 1;
const READ_EVERY_MS = 2000;
/** DS18B20 commands (datasheet): convert T, read scratchpad. */
const CONVERT_T = 0x44;
const READ_SCRATCHPAD = 0xbe;
/** 12-bit conversion time, datasheet tCONV maximum. */
const CONVERT_MS = 750;

/** Readings the thermometer did not give (no answer, or a bad CRC): the status's `failedReads`. */
let failedReads = 0;

gpio.mode(RELAY, gpio.OUTPUT);
gpio.write(RELAY, gpio.LOW);
ow.setup(THERMOMETER);

const [client, out] = start(
  (data) => {
    const on: number | undefined = data === "relay on" ? 1 : data === "relay off" ? 0 : undefined;
    if (on === undefined) return undefined;
    gpio.write(RELAY, on as 0 | 1); // gpio.HIGH is 1, gpio.LOW 0
    return '{"relay":' + on + "}";
  },
  () => '"failedReads":' + failedReads,
);

/** client.publish as a plain function, for pcall without a closure of its own. */
type Publish = (this: void, c: mqtt.Client, t: string, p: string, qos: number, retain: number) => boolean;

// Starts a conversion; reads the result once it is done (750 ms later) and sends it.
const convert = tmr.create();
tmr.create().alarm(READ_EVERY_MS, tmr.ALARM_AUTO, () => {
  if (ow.reset(THERMOMETER) === 0) {
    failedReads = failedReads + 1;
    return;
  }
  ow.skip(THERMOMETER);
  ow.write(THERMOMETER, CONVERT_T, 1);
  convert.alarm(CONVERT_MS, tmr.ALARM_SINGLE, () => {
    ow.reset(THERMOMETER);
    ow.skip(THERMOMETER);
    ow.write(THERMOMETER, READ_SCRATCHPAD, 1);
    const pad = ow.read_bytes(THERMOMETER, 9);
    // Byte 9 is the CRC of the first 8. Bytes read in place, not into locals: each local is a
    // debug entry the callback keeps for good.
    if (ow.crc8(string.sub(pad, 1, 8)) !== string.byte(pad, 9)[0]) {
      failedReads = failedReads + 1;
      return;
    }
    const raw = string.byte(pad, 1)[0] + string.byte(pad, 2)[0] * 256;
    // Protected: publish raises while the session is down, and a reading taken then is not sent.
    pcall(
      client.publish as unknown as Publish,
      client,
      out,
      '{"t":' + (raw >= 0x8000 ? raw - 0x10000 : raw) / 16 + "}",
      MESSAGE_QOS,
      0,
    );
  });
});
