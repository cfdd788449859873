// Several brokers (device.json mqtt.hosts): which one the board uses. app.ts loads this only when
// config.lua lists more than one, and calls it before each connect, so a board with one broker
// spends no heap on it. It points the config's host and port at the broker to try, which app.ts
// then connects to as it always does:
// - each try after a failure or a lost session goes to the next broker, after app.ts's backoff;
// - on a broker other than the first, the board closes its session after `failback` seconds and
//   tries the first again, so it returns there once that broker is back.
// config.lua's `at` becomes the status field naming the broker in use.

/** The fields of config.lua this module reads and writes: config.lua's table is the module's to change. */
interface Settings {
  host: string;
  port: number;
  hosts: (string | number)[];
  failback: number;
  at: string;
}

/** What app.ts calls before each connect; `close` ends the MQTT session. */
export function brokers(config: typeof import("config"), close: (this: void) => void): (this: void) => void {
  const cfg = config as unknown as Settings;
  let i = -1;
  const back = tmr.create();
  return () => {
    i = (i + 1) % (cfg.hosts.length / 2);
    cfg.host = cfg.hosts[2 * i] as string;
    cfg.port = cfg.hosts[2 * i + 1] as number;
    cfg.at = string.format(',"broker":"%s:%d"', cfg.host, cfg.port);
    print("mqtt: trying " + cfg.host + ":" + cfg.port);
    back.stop();
    if (i === 0) return;
    back.alarm(cfg.failback * 1000, tmr.ALARM_SINGLE, () => {
      i = -1;
      close();
    });
  };
}
