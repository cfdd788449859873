// MQTT 3.1.1's rules for topic names (4.7.3) and filters (4.7.1), checked before a connection is
// opened, so a bad --topic is a usage error rather than a broker hanging up on us.

const MAX_TOPIC_BYTES = 65535;

function common(what: string, t: string): string | undefined {
  if (t === "") return `${what} must not be empty`;
  if (t.includes("\u0000")) return `${what} "${t.replace(/\u0000/g, "\\0")}" contains a NUL character`;
  if (Buffer.byteLength(t) > MAX_TOPIC_BYTES) return `${what} is ${Buffer.byteLength(t)} bytes long; MQTT allows ${MAX_TOPIC_BYTES}`;
  return undefined;
}

/** Why `t` cannot be published to, or undefined. */
export function topicNameError(t: string): string | undefined {
  const err = common("topic", t);
  if (err) return err;
  if (/[+#]/.test(t)) return `topic "${t}" contains a wildcard (+ or #): messages go to a single topic; wildcards are for subscribing (mcu serve --topic)`;
  return undefined;
}

/** Why `f` is not a valid subscription filter, or undefined. */
export function topicFilterError(f: string): string | undefined {
  const err = common("topic filter", f);
  if (err) return err;
  const levels = f.split("/");
  for (const [i, level] of levels.entries()) {
    if (level.includes("#") && (level !== "#" || i !== levels.length - 1)) return `topic filter "${f}": # must be a whole level and the last one (as in home/#)`;
    if (level.includes("+") && level !== "+") return `topic filter "${f}": + must be a whole level (as in home/+/status)`;
  }
  return undefined;
}
