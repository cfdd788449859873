// The echo app: joins Wi-Fi, keeps one MQTT session to the broker and publishes every message
// that arrives on the device's `in` topic back on its `out` topic, byte for byte.

import * as cfg from "config";
import { BOOT_GUARD_SLOT, backoffMs, clientId, defaultId, IN, OFFLINE_PAYLOAD, ONLINE_FORMAT, OUT, STATUS, topic } from "./contract";

// What the app needs is in locals now; dropping the module table lets the rest be collected.
packageLib.loaded.set("contract", undefined);

const id = cfg.id ?? defaultId(string.format("%06x", node.chipid()));
const prefix = cfg.prefix;
const tIn = topic(prefix, id, IN);
const tOut = topic(prefix, id, OUT);
const tStatus = topic(prefix, id, STATUS);

let wifiUp = false;
let online = false;
let connecting = false;
let attempt = 0;
let overflows = 0;
// Echoes mqtt refused: not built (over MQTT_BUF_SIZE) or no heap for the queued copy. Counted, not
// printed: the message callback runs unprotected, and a print needs heap the board may not have.
let dropped = 0;
const retry = tmr.create();
// cleansession 0: a persistent session, so messages sent while the board is away are kept by the
// broker. Username and password must be strings for NodeMCU to read the arguments after them.
const client = mqtt.Client(clientId(id), cfg.keepalive, cfg.user ?? "", cfg.password ?? "", 0, cfg.maxlen);
// More than one broker (mqtt.hosts): brokers.lua points cfg.host and cfg.port at the next to try.
const many = cfg.hosts ? (require("brokers") as typeof import("./brokers")).brokers(cfg, () => client.close()) : undefined;

function publishStatus(): void {
  const [ip] = wifi.sta.getip();
  client.publish(tStatus, string.format(ONLINE_FORMAT, cfg.version, ip ?? "", node.heap(), overflows, dropped, cfg.at ?? ""), 1, 1);
}

function onConnect(c: mqtt.Client): void {
  connecting = false;
  online = true;
  attempt = 0;
  rtcmem.write32(BOOT_GUARD_SLOT, 0);
  print("mqtt: connected");
  c.subscribe(tIn, 1);
  publishStatus();
}

function scheduleRetry(): void {
  if (!wifiUp) return; // GOT_IP starts over
  // node.random draws on the hardware generator, so boards restarted together do not retry in step.
  const delay = backoffMs(attempt, node.random());
  attempt = attempt + 1;
  print("mqtt: retrying in " + delay + " ms");
  retry.alarm(delay, tmr.ALARM_SINGLE, connect);
}

function onFail(_c: mqtt.Client, reason: number): void {
  connecting = false;
  print("mqtt: connect failed, reason " + reason);
  scheduleRetry();
}

function connect(): void {
  if (online || connecting || !wifiUp) return;
  connecting = true;
  if (many) many();
  client.connect(cfg.host, cfg.port, cfg.tls, onConnect, onFail);
}

client.lwt(tStatus, OFFLINE_PAYLOAD, 1, 1);
client.on("message", (c, _topic, data) => {
  if (!c.publish(tOut, data ?? "", 1, 0)) dropped = dropped + 1;
});
client.on("overflow", (_c, topic) => {
  overflows = overflows + 1;
  print("mqtt: message on " + topic + " longer than " + cfg.maxlen + " bytes dropped");
  publishStatus();
});
client.on("offline", () => {
  online = false;
  print("mqtt: offline");
  scheduleRetry();
});

wifi.eventmon.register(wifi.eventmon.STA_CONNECTED, (T) => {
  print("wifi: connected to " + T.SSID + " on channel " + T.channel);
});
wifi.eventmon.register(wifi.eventmon.STA_DISCONNECTED, (T) => {
  print("wifi: disconnected from " + T.SSID + ", reason " + T.reason);
  wifiUp = false;
  retry.stop();
});
wifi.eventmon.register(wifi.eventmon.STA_GOT_IP, (T) => {
  print("wifi: got ip " + T.IP);
  wifiUp = true;
  attempt = 0;
  connect();
});

// The id was checked when this firmware was built (names.ts), or comes from the chip id. The
// broker's address is printed here once: a line in a callback would hold its strings for good.
print("app: " + id + " joining " + cfg.ssid + ", broker " + cfg.host + ":" + cfg.port);
wifi.setmode(wifi.STATION);
wifi.sta.config({ ssid: cfg.ssid, pwd: cfg.pwd, auto: true, save: false });
