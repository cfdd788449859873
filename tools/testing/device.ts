// The kit's side of the device's topics: one MQTT client on the test's broker that publishes on
// `in` and keeps what the board sends on `out` and `status` (firmware/src/contract.ts), so a test
// can wait for it.
import { EventEmitter } from "node:events";
import { IN, OUT, STATUS, topic } from "../../firmware/src/contract.ts";
import { type Message, MqttClient } from "../../host/mqtt/index.ts";
import { described, firstMatch, type Match, until } from "./wait.ts";

/** The device's retained status (the contract's ONLINE_FORMAT), with what the app adds to it. */
export interface Status {
  state: string;
  version: string;
  ip: string;
  heap: number;
  overflows: number;
  dropped: number;
  broker: string;
  [member: string]: unknown;
}

export interface DeviceLink {
  readonly topics: { in: string; out: string; status: string };
  publish(message: string | Buffer): Promise<void>;
  messages(): string[];
  expect(match: Match, ms: number): Promise<string>;
  status(match: (s: Status) => boolean, ms: number): Promise<Status>;
  /** How many statuses have come so far: a mark for online(). */
  mark(): number;
  /** Resolves at the first online status after `mark` that was published then (not a retained one). */
  online(mark: number, ms: number, console: () => string[]): Promise<void>;
  close(): Promise<void>;
}

const ASK_EVERY_MS = 500;

/** Connects to the broker and subscribes to the device's `out` and `status`. */
export async function linkTo(
  broker: { host: string; port: number },
  device: { prefix: string; id: string; maxMessageLength: number },
): Promise<DeviceLink> {
  const topics = {
    in: topic(device.prefix, device.id, IN),
    out: topic(device.prefix, device.id, OUT),
    status: topic(device.prefix, device.id, STATUS),
  };
  const events = new EventEmitter();
  const outs: string[] = [];
  const statuses: { status: Status; live: boolean }[] = [];
  let cursor = 0;
  const client = new MqttClient({
    host: broker.host,
    port: broker.port,
    clientId: `mcu-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
  });
  await client.connect();
  client.on("message", (m: Message) => {
    if (m.topic === topics.out) outs.push(m.payload.toString("utf8"));
    else statuses.push({ status: parsed(m.payload), live: !m.retain });
    events.emit("message");
  });
  await client.subscribe([
    { topic: topics.out, qos: 0 },
    { topic: topics.status, qos: 1 },
  ]);
  const publish = (message: string | Buffer) => client.publish(topics.in, message, { qos: 0 });
  /** The first status from `from` on that satisfies `match`; `seen` says what there was instead. */
  const statusFrom = (
    from: number,
    match: (s: { status: Status; live: boolean }) => boolean,
    ms: number,
    what: string,
    seen: () => string,
  ) => until(events, "message", () => statuses.slice(from).find(match), ms, what, seen);
  return {
    topics,
    publish,
    messages: () => [...outs],
    expect: async (match, ms) => {
      const seen = () => `the messages on ${topics.out} since then: ${JSON.stringify(outs.slice(cursor))}`;
      const found = await until(
        events,
        "message",
        () => firstMatch(outs, cursor, match),
        ms,
        `a message ${described(match)} on ${topics.out}`,
        seen,
      );
      cursor = found.index + 1;
      return found.text;
    },
    status: async (match, ms) => {
      // A message over the board's limit makes its session publish the status (an overflow).
      const ask = () => void publish("x".repeat(device.maxMessageLength + 1)).catch(() => {});
      const from = statuses.length;
      const asking = setInterval(ask, ASK_EVERY_MS);
      ask();
      try {
        const seen = () => `the statuses since then: ${JSON.stringify(statuses.slice(from).map((s) => s.status))}`;
        return (
          await statusFrom(
            from,
            (s) => s.status.state === "online" && match(s.status),
            ms,
            "a status that matches",
            seen,
          )
        ).status;
      } finally {
        clearInterval(asking);
      }
    },
    mark: () => statuses.length,
    online: async (mark, ms, console) => {
      const seen = () => `its console:\n${console().slice(-20).join("\n")}`;
      await statusFrom(mark, (s) => s.live && s.status.state === "online", ms, "the board to come online", seen);
    },
    close: () => client.end({ force: true }),
  };
}

function parsed(payload: Buffer): Status {
  try {
    return JSON.parse(payload.toString("utf8")) as Status;
  } catch {
    return { state: "unreadable", raw: payload.toString("utf8") } as unknown as Status;
  }
}
