// A sensor node: every READ_EVERY_MS it reads a DS18B20 on the 1-Wire bus at pin THERMOMETER and
// publishes {"t":<°C>} on the device's `out` topic; "relay on" / "relay off" on its `in` topic
// switch the relay on pin RELAY and are answered with {"relay":1|0}. The MQTT session, status
// and will are the echo app's (firmware/src/app.ts): only what differs is written here.
// Build it with: mcu build --app firmware/examples/sensor (or ./flash.sh --app …).

import * as cfg from "config";
import { BOOT_GUARD_SLOT, backoffMs, clientId, defaultId, IN, OFFLINE_PAYLOAD, ONLINE_FORMAT, OUT, STATUS, topic } from "./contract";

/** NodeMCU pin numbers (D3 and D1 on a NodeMCU dev board). */
const THERMOMETER = 3;
const RELAY = 1;
const READ_EVERY_MS = 2000;
/** DS18B20 commands (datasheet): convert T, read scratchpad. */
const CONVERT_T = 0x44;
const READ_SCRATCHPAD = 0xbe;
/** 12-bit conversion time, datasheet tCONV maximum. */
const CONVERT_MS = 750;

const id = cfg.id ?? defaultId(string.format("%06x", node.chipid()));
const tIn = topic(cfg.prefix, id, IN);
const tOut = topic(cfg.prefix, id, OUT);
const tStatus = topic(cfg.prefix, id, STATUS);

let wifiUp = false;
let online = false;
let connecting = false;
let attempt = 0;
let failedReads = 0;
const retry = tmr.create();
const sample = tmr.create();
const client = mqtt.Client(clientId(id), cfg.keepalive, cfg.user ?? "", cfg.password ?? "", 0, cfg.maxlen);

function publishStatus(): void {
  const [ip] = wifi.sta.getip();
  // "overflows" counts the readings the thermometer did not give (no answer or a bad CRC).
  client.publish(tStatus, string.format(ONLINE_FORMAT, cfg.version, ip ?? "", node.heap(), failedReads, 0, cfg.host, cfg.port), 1, 1);
}

/** Temperature in °C from a scratchpad, or undefined when its CRC (byte 9) is wrong. */
function celsius(pad: string): number | undefined {
  const [lo, hi, , , , , , , crc] = string.byte(pad, 1, 9);
  if (ow.crc8(string.sub(pad, 1, 8)) !== crc) return undefined;
  const raw = lo + hi * 256;
  return (raw >= 0x8000 ? raw - 0x10000 : raw) / 16;
}

/** Starts a conversion; reads the result once it is done and publishes it. */
function read(): void {
  if (ow.reset(THERMOMETER) === 0) {
    failedReads = failedReads + 1;
    return;
  }
  ow.skip(THERMOMETER);
  ow.write(THERMOMETER, CONVERT_T, 1);
  tmr.create().alarm(CONVERT_MS, tmr.ALARM_SINGLE, () => {
    ow.reset(THERMOMETER);
    ow.skip(THERMOMETER);
    ow.write(THERMOMETER, READ_SCRATCHPAD, 1);
    const t = celsius(ow.read_bytes(THERMOMETER, 9));
    if (t === undefined) failedReads = failedReads + 1;
    else if (online) client.publish(tOut, string.format('{"t":%s}', tostring(t)), 1, 0);
  });
}

function onConnect(c: mqtt.Client): void {
  connecting = false;
  online = true;
  attempt = 0;
  // Online: this firmware works, so the boot guard (init.lua) starts counting afresh.
  rtcmem.write32(BOOT_GUARD_SLOT, 0);
  print("mqtt: connected");
  c.subscribe(tIn, 1);
  publishStatus();
}

function scheduleRetry(): void {
  if (!wifiUp) return;
  const delay = backoffMs(attempt, node.random());
  attempt = attempt + 1;
  print("mqtt: retrying in " + delay + " ms");
  retry.alarm(delay, tmr.ALARM_SINGLE, connect);
}

function connect(): void {
  if (online || connecting || !wifiUp) return;
  connecting = true;
  client.connect(cfg.host, cfg.port, cfg.tls, onConnect, (_c, reason) => {
    connecting = false;
    print("mqtt: connect failed, reason " + reason);
    scheduleRetry();
  });
}

client.lwt(tStatus, OFFLINE_PAYLOAD, 1, 1);
client.on("message", (c, _topic, data) => {
  const on = data === "relay on" ? 1 : data === "relay off" ? 0 : undefined;
  if (on === undefined) return;
  gpio.write(RELAY, on === 1 ? gpio.HIGH : gpio.LOW);
  c.publish(tOut, string.format('{"relay":%d}', on), 1, 0);
});
client.on("offline", () => {
  online = false;
  print("mqtt: offline");
  scheduleRetry();
});

wifi.eventmon.register(wifi.eventmon.STA_DISCONNECTED, () => {
  wifiUp = false;
  retry.stop();
});
wifi.eventmon.register(wifi.eventmon.STA_GOT_IP, (T) => {
  print("wifi: got ip " + T.IP);
  wifiUp = true;
  attempt = 0;
  connect();
});

gpio.mode(RELAY, gpio.OUTPUT);
gpio.write(RELAY, gpio.LOW);
ow.setup(THERMOMETER);
sample.alarm(READ_EVERY_MS, tmr.ALARM_AUTO, read);
print("sensor: " + id + " joining " + cfg.ssid + ", broker " + cfg.host + ":" + cfg.port);
wifi.setmode(wifi.STATION);
wifi.sta.config({ ssid: cfg.ssid, pwd: cfg.pwd, auto: true, save: false });
