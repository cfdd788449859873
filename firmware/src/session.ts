// The board's session, one copy for every app (docs/session.md): Wi-Fi join, one MQTT session to
// the broker (or the broker list), backoff with jitter, the will, the retained status, the boot
// guard's handshake, the flood floor and the dropped and overflow counts. An app calls start()
// once with its message handler; the minified build writes start() into the app in place of the
// call (tools/compiler/passes/splice-library.ts), so the library costs no heap of its own.

import * as cfg from "config";
import {
  BOOT_GUARD_SLOT,
  backoffMs,
  clientId,
  defaultId,
  HEAP_FLOOR,
  IN,
  MESSAGE_QOS,
  OFFLINE_PAYLOAD,
  ONLINE_FORMAT,
  OUT,
  STATUS,
  topic,
} from "./contract";
import { OTA_IN } from "./otacontract";

/**
 * Starts the session. `onMessage` gets each message on the device's `in` topic (never one that came
 * while free heap was under HEAP_FLOOR: that one is counted in `dropped`); what it returns is
 * published on `out`, and a reply mqtt refuses is counted in `dropped` too. `status`, if given,
 * returns members the app adds to the retained status, as JSON text (`"failedReads":2`).
 * Returns the MQTT client and the `out` topic, for what the app publishes on its own: NodeMCU's
 * publish raises "not connected" outside a session, so call it protected (`pcall`, as the sensor
 * example does) or from a callback of the session.
 */
export function start(
  onMessage: (data: string | undefined) => string | undefined,
  status?: () => string,
): LuaMultiReturn<[mqtt.Client, string]> {
  // What the session needs is in locals now; dropping the module tables lets the rest be collected:
  // config.lua's table holds the Wi-Fi password and a dozen fields only the start needs. No function
  // below may read `cfg`, or it would keep the whole table alive.
  packageLib.loaded.set("contract", undefined);
  packageLib.loaded.set("config", undefined);
  packageLib.loaded.set("session", undefined);

  const id = cfg.id ?? defaultId(string.format("%06x", node.chipid()));
  const prefix = cfg.prefix;
  const { tls, version } = cfg;
  let host = cfg.host;
  let port = cfg.port;
  const tIn = topic(prefix, id, IN);
  const tOut = topic(prefix, id, OUT);
  const tStatus = topic(prefix, id, STATUS);
  // Updates over MQTT (device.json "ota") arrive here; their receiver, ota.ts, is loaded only when
  // one does. Without them the build drops this local with the blocks that use it (tools/compiler/passes/).
  let tOta: string;
  if (BUILD_OTA) {
    tOta = topic(prefix, id, OTA_IN);
  }

  let wifiUp = false;
  // Connecting or connected: connect() starts nothing while it is set. One flag for both states
  // saves an upvalue in every callback that reads it.
  let busy = false;
  let attempt = 0;
  let overflows = 0;
  // Messages taken in but not acted on or not answered: mqtt refused the reply (over MQTT_BUF_SIZE,
  // or no heap for the queued copy), or the heap was under HEAP_FLOOR when the message came. Counted,
  // not printed: the message callback runs unprotected, and a print needs heap the board may not have.
  let dropped = 0;
  const retry = tmr.create();
  // cleansession 0: the broker keeps the subscriptions across reconnects (at QoS 0 it keeps no
  // message for a board that is away: MESSAGE_QOS). Username and password must be strings for
  // NodeMCU to read the arguments after them.
  const client = mqtt.Client(clientId(id), cfg.keepalive, cfg.user ?? "", cfg.password ?? "", 0, cfg.maxlen);

  function publishStatus(): void {
    client.publish(
      tStatus,
      string.format(
        ONLINE_FORMAT,
        version,
        wifi.sta.getip()[0] ?? "",
        node.heap(),
        overflows,
        dropped,
        host,
        port,
        status ? "," + status() : "",
      ),
      1,
      1,
    );
  }

  function onConnect(c: mqtt.Client): void {
    attempt = 0;
    // Online: this firmware works, so the boot guard (init.lua) starts counting afresh.
    rtcmem.write32(BOOT_GUARD_SLOT, 0);
    print("mqtt: connected");
    if (BUILD_OTA) {
      c.subscribe({ [tIn]: MESSAGE_QOS, [tOta]: MESSAGE_QOS });
    } else {
      c.subscribe(tIn, MESSAGE_QOS);
    }
    publishStatus();
  }

  let scheduleRetry = (): void => {
    if (!wifiUp) return; // GOT_IP starts over
    // node.random draws on the hardware generator, so boards restarted together do not retry in step.
    const delay = backoffMs(attempt, node.random());
    attempt = attempt + 1;
    print("mqtt: retrying in " + delay + " ms");
    retry.alarm(delay, tmr.ALARM_SINGLE, connect);
  };

  function onFail(_c: mqtt.Client, reason: number): void {
    busy = false;
    print("mqtt: connect failed, reason " + reason);
    scheduleRetry();
  }

  function connect(): void {
    if (busy || !wifiUp) return;
    busy = true;
    client.connect(host, port, tls, onConnect, onFail);
  }

  // More than one broker (mqtt.hosts): before each retry brokers.lua moves host and port on to the
  // next broker. Wrapping the retry here, rather than testing for it in connect, leaves a board with
  // one broker without a byte of it.
  if (cfg.hosts) {
    const next = (require("brokers") as typeof import("./brokers")).brokers(cfg.hosts, cfg.failback ?? 0, client);
    const later = scheduleRetry;
    scheduleRetry = () => {
      if (wifiUp) [host, port] = next();
      later();
    };
  }

  client.lwt(tStatus, OFFLINE_PAYLOAD, 1, 1);
  client.on("message", (c, t, data) => {
    // A flood arrives faster than replies leave: past the floor, a message is counted, not acted on.
    if (node.heap() < HEAP_FLOOR) {
      dropped = dropped + 1;
      return;
    }
    if (BUILD_OTA) {
      // Subscribed to two topics: what is not `in` is an update. Protected: whatever a message on the
      // OTA topic holds, an error in its receiver (or no heap to load it) must not panic the board.
      if (t !== tIn) {
        pcall(() => (require("ota") as typeof import("./ota")).message(c, data));
        return;
      }
    }
    const reply = onMessage(data);
    if (reply !== undefined && !c.publish(tOut, reply, MESSAGE_QOS, 0)) dropped = dropped + 1;
  });
  client.on("overflow", (_c, on) => {
    overflows = overflows + 1;
    // The limit is printed at start: naming it here would hold it in one more upvalue for good.
    print("mqtt: message on " + on + " too long, dropped");
    publishStatus();
  });
  client.on("offline", () => {
    busy = false;
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
  print(
    "app: " +
      id +
      " joining " +
      cfg.ssid +
      ", broker " +
      host +
      ":" +
      port +
      ", messages up to " +
      cfg.maxlen +
      " bytes",
  );
  wifi.setmode(wifi.STATION);
  wifi.sta.config({ ssid: cfg.ssid, pwd: cfg.pwd, auto: true, save: false });
  // For what the app publishes on its own (a sensor's readings). No closure: one would cost every
  // app its heap, used or not.
  return $multi(client, tOut);
}
