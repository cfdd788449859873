// MQTT 3.1.1's rules for topic names (4.7.3) and filters (4.7.1), checked before a connection is
// opened, so a bad --topic is a usage error rather than a broker hanging up on us.

const MAX_TOPIC_BYTES = 65535;

/**
 * The first character of `t` a broker refuses in a UTF-8 string (1.5.3), named, or undefined:
 * U+0000, control characters (Mosquitto hangs up on them), non-characters, and lone
 * surrogates (which have no UTF-8 encoding).
 */
function refusedCharacter(t: string): string | undefined {
  let at = 0;
  for (const ch of t) {
    at++;
    const cp = ch.codePointAt(0)!;
    const hex = `U+${cp.toString(16).toUpperCase().padStart(4, "0")}`;
    if (cp === 0) return `${hex} (NUL) at character ${at}`;
    if (cp <= 0x1f || (cp >= 0x7f && cp <= 0x9f)) return `${hex}, a control character, at character ${at}`;
    if (cp >= 0xd800 && cp <= 0xdfff) return `${hex}, a lone surrogate (not valid UTF-8), at character ${at}`;
    if ((cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) === 0xfffe)
      return `${hex}, a Unicode non-character, at character ${at}`;
  }
  return undefined;
}

function common(what: string, t: string): string | undefined {
  if (t === "") return `${what} must not be empty`;
  const refused = refusedCharacter(t);
  if (refused) return `${what} contains ${refused}: MQTT brokers refuse it (MQTT 3.1.1 section 1.5.3); remove it`;
  if (Buffer.byteLength(t) > MAX_TOPIC_BYTES)
    return `${what} is ${Buffer.byteLength(t)} bytes long; MQTT allows ${MAX_TOPIC_BYTES}`;
  return undefined;
}

/** Why `t` cannot be published to, or undefined. */
export function topicNameError(t: string): string | undefined {
  const err = common("topic", t);
  if (err) return err;
  if (/[+#]/.test(t))
    return `topic "${t}" contains a wildcard (+ or #): messages go to a single topic; wildcards are for subscribing (mcu serve --topic)`;
  return undefined;
}

/** Why `f` is not a valid subscription filter, or undefined. */
export function topicFilterError(f: string): string | undefined {
  const err = common("topic filter", f);
  if (err) return err;
  const levels = f.split("/");
  for (const [i, level] of levels.entries()) {
    if (level.includes("#") && (level !== "#" || i !== levels.length - 1))
      return `topic filter "${f}": # must be a whole level and the last one (as in home/#)`;
    if (level.includes("+") && level !== "+")
      return `topic filter "${f}": + must be a whole level (as in home/+/status)`;
  }
  return undefined;
}

/**
 * Why `group` cannot name a shared subscription ($share/GROUP/filter, MQTT 5 section 4.8.2, which
 * Mosquitto 2 also takes from MQTT 3.1.1 clients) over `filters`, or undefined: a group is one or
 * more characters without "/", "+" or "#", none a broker refuses, and each whole
 * $share/GROUP/filter must fit a topic's 65535 bytes.
 */
export function shareGroupError(group: string, filters: string[]): string | undefined {
  if (group === "" || /[/+#]/.test(group)) return 'a group name is one or more characters without "/", "+" or "#"';
  const refused = refusedCharacter(group);
  if (refused)
    return `the group name contains ${refused}: MQTT brokers refuse it (MQTT 3.1.1 section 1.5.3); remove it`;
  for (const f of filters) {
    const bytes = Buffer.byteLength(`$share/${group}/${f}`);
    if (bytes > MAX_TOPIC_BYTES)
      return `$share/GROUP/${f.length > 40 ? `${f.slice(0, 40)}…` : f} would be ${bytes} bytes long; MQTT allows ${MAX_TOPIC_BYTES}: use a shorter group name`;
  }
  return undefined;
}
