// A board's retained status (firmware/src/contract.ts ONLINE_FORMAT, or its will): the one place
// it is read, and the one way the verbs collect the statuses of a fleet (`mcu devices`, `mcu ota
// --all`, the demo). Whatever is on the broker may be anything, so every parse is guarded.
import { STATUS } from "../firmware/src/contract.ts";
import { within } from "./cli/options.ts";
import type { Message, MqttClient } from "./mqtt/index.ts";
import { allDevices, deviceOf } from "./names.ts";

/** The members of a status the PC reads; absent where the payload lacks them or has the wrong type. */
export interface DeviceStatus {
  state: string;
  version?: string;
  ip?: string;
  heap?: number;
}

/** A JSON object from a payload, or undefined: whatever is on the broker may be anything. */
export function jsonObject(payload: Buffer): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(payload.toString("utf8"));
    return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A payload member that is a string, else undefined. */
export const text = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** A status from its payload, or undefined for anything that is not a JSON object with a string `state`. */
export function parseStatus(payload: Buffer): DeviceStatus | undefined {
  const o = jsonObject(payload);
  if (typeof o?.state !== "string") return undefined;
  return {
    state: o.state,
    version: text(o.version),
    ip: text(o.ip),
    heap: typeof o.heap === "number" ? o.heap : undefined,
  };
}

/** A board's last status message, and when it came. */
export interface StatusMessage {
  message: Message;
  at: Date;
}

/** Retained statuses come right after SUBACK: a spell this long with none means we have them all. */
const QUIET_MS = 300;

/**
 * Every board's status under `prefix`, by id: subscribes at QoS 0 (a stock Mosquitto holds at most
 * 20 + 1000 QoS 1 messages per client and drops the rest, so at QoS 1 a fleet past 1,020 boards
 * came back cut), then waits for a quiet spell. `limitS` bounds it all from now, the wait for SUBACK
 * included (exit 27 when the broker does not answer); an empty payload (a cleared status) removes
 * the board.
 */
export async function collectStatuses(
  client: MqttClient,
  prefix: string,
  limitS: number,
  address: string,
): Promise<Map<string, StatusMessage>> {
  const found = new Map<string, StatusMessage>();
  let last = performance.now();
  const take = (m: Message) => {
    const id = deviceOf(prefix, STATUS, m.topic);
    if (id === undefined) return;
    last = performance.now();
    if (m.payload.length === 0) found.delete(id);
    else found.set(id, { message: m, at: new Date() });
  };
  client.on("message", take);
  try {
    const deadline = performance.now() + limitS * 1000;
    await within(client.subscribe(allDevices(prefix, STATUS), 0), limitS, () => `no SUBACK from ${address}`);
    const start = performance.now();
    while (
      (performance.now() - last < QUIET_MS || performance.now() - start < QUIET_MS) &&
      performance.now() < deadline
    ) {
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    client.off("message", take);
  }
  return found;
}
