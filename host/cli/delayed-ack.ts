// Round trips that sit near 40 ms are the mark of TCP delayed ACK meeting Nagle's algorithm:
// a broker that does not set TCP_NODELAY holds a small reply until the peer acknowledges the
// previous one, and Linux and macOS delay that acknowledgement by about 40 ms. Mosquitto's
// default configuration does this; `set_tcp_nodelay true` in mosquitto.conf removes it.

/** Round trips needed before the pattern means anything. */
const MIN_SAMPLES = 5;
/** Linux's delayed-ACK timer is 40 ms at least; scheduling adds a little on top. */
const PLATEAU_MS = [38, 60] as const;
/** Share of round trips on the plateau that makes it the pattern, not chance. */
const SHARE = 0.8;

/** A hint for `mcu ping` when its round trips sit on the delayed-ACK plateau, else undefined. */
export function delayedAckHint(rtts: number[]): string | undefined {
  if (rtts.length < MIN_SAMPLES) return undefined;
  const on = rtts.filter((ms) => ms >= PLATEAU_MS[0] && ms <= PLATEAU_MS[1]).length;
  if (on < rtts.length * SHARE) return undefined;
  return (
    "ping: the round trips sit near 40 ms, the mark of TCP delayed ACK meeting Nagle's algorithm at the broker; " +
    "with Mosquitto, `set_tcp_nodelay true` in mosquitto.conf brings them down to a few ms (see docs/cli.md)"
  );
}
