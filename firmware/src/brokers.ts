// Several brokers (device.json mqtt.hosts): which one the board uses. The session (session.ts)
// loads this only when config.lua lists more than one, and calls it before each retry, so a board
// with one broker spends no heap on it. The board starts on the first; then
// - each retry after a failure or a lost session goes to the next broker, after the session's backoff;
// - on a broker other than the first, the board closes its session after `failback` seconds and
//   tries the first again, so it returns there once that broker is back.

/**
 * What the session calls before each retry: the broker to try next (host and port from `hosts`,
 * config.lua's host, port, host, port… list). `client`'s session is closed to fail back.
 */
export function brokers(
  hosts: (string | number)[],
  failback: number,
  client: mqtt.Client,
): (this: void) => LuaMultiReturn<[string, number]> {
  let i = 0;
  const back = tmr.create();
  return () => {
    i = (i + 1) % (hosts.length / 2);
    const host = hosts[2 * i] as string;
    const port = hosts[2 * i + 1] as number;
    print("mqtt: next broker " + host + ":" + port);
    back.stop();
    if (i !== 0)
      back.alarm(failback * 1000, tmr.ALARM_SINGLE, () => {
        i = -1;
        client.close();
      });
    return $multi(host, port);
  };
}
