// `mcu devices`: every device's retained status under a prefix.
import { STATUS } from "../../firmware/src/contract.ts";
import { type Column, EXIT, number, printable, table, terminalJson, usageError } from "../kit/index.ts";
import type { Message } from "../mqtt/index.ts";
import { allDevices, deviceOf } from "../names.ts";
import { globMatcher } from "./glob.ts";
import { COMMON_USAGE, connect, hostContext, parseVerb, within } from "./options.ts";

export const usage = `usage: mcu devices [--prefix P] [--state S] [--match PATTERN] [--timeout S] [--json]

Lists every device that left a status under the prefix, in id order (dev2 before dev10): id,
state, ip, free heap, firmware version, and when the status changed ("retained" for one stored
before we looked). Control characters in them are shown escaped (\\x1b). --state S keeps the
devices in that state (online, offline; comma-separated for several); --match PATTERN keeps the
ids it matches (* any characters, ? one). --timeout S (default 3) bounds the whole listing, the
wait for SUBACK included: exit 27 when the broker does not answer in time.

${COMMON_USAGE}

example:
  mcu devices --broker mqtt://192.168.1.10 --json
  mcu devices --state offline --match 'kitchen-*'`;

const own = { timeout: { type: "string" }, json: { type: "boolean" }, state: { type: "string" }, match: { type: "string" } } as const;

/** The rows --state and --match keep. */
function kept(rows: DeviceRow[], state: string | undefined, match: string | undefined): DeviceRow[] {
  const states = state === undefined ? undefined : new Set(state.split(",").map((s) => s.trim()));
  const matches = match === undefined ? undefined : globMatcher(match);
  return rows.filter((r) => (!states || states.has(r.state)) && (!matches || matches(r.id)));
}

export interface DeviceRow {
  id: string;
  state: string;
  ip: string;
  heap: number | null;
  version: string;
  changed: string;
}

/** A status payload as a table row; anything unreadable says so instead of failing. */
export function rowOf(id: string, m: Message, at: Date): DeviceRow {
  const row: DeviceRow = { id, state: "invalid status", ip: "", heap: null, version: "", changed: m.retain ? "retained" : at.toISOString() };
  try {
    const s = JSON.parse(m.payload.toString("utf8")) as Record<string, unknown>;
    if (typeof s.state !== "string") return row;
    row.state = s.state;
    row.ip = typeof s.ip === "string" ? s.ip : "";
    row.heap = typeof s.heap === "number" ? s.heap : null;
    row.version = typeof s.version === "string" ? s.version : "";
  } catch {
    // left as "invalid status"
  }
  return row;
}

const COLUMNS: Column[] = ["id", "state", "ip", "heap", "version", "changed"].map((header) => ({ header }));

function listing(rows: DeviceRow[]): string {
  // Statuses are anyone's to publish: their text must not drive the terminal.
  const cells = rows.map((r) => [r.id, r.state, r.ip, r.heap === null ? "" : String(r.heap), r.version, r.changed].map(printable));
  return table(cells, COLUMNS).join("\n") + "\n";
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseVerb(argv, own, usage);
  if (positionals.length > 0) usageError(`unexpected argument "${positionals[0]}"`);
  const ctx = hostContext(values, "devices");
  const limitMs = (number("timeout", values.timeout, { positive: true, unit: "seconds" }) ?? 3) * 1000;
  const rows = new Map<string, DeviceRow>();
  const client = await connect(ctx);
  try {
    let last = performance.now();
    client.on("message", (m: Message) => {
      const id = deviceOf(ctx.prefix, STATUS, m.topic);
      if (id === undefined) return;
      last = performance.now();
      if (m.payload.length === 0) rows.delete(id);
      else rows.set(id, rowOf(id, m, new Date()));
    });
    // --timeout bounds the whole listing, from CONNACK: the wait for SUBACK, then the statuses.
    const deadline = performance.now() + limitMs;
    // QoS 0: a stock Mosquitto holds at most 20 in flight plus max_queued_messages (1000) QoS 1
    // messages per client and drops the rest, so at QoS 1 a fleet past 1,020 boards came back cut.
    await within(client.subscribe(allDevices(ctx.prefix, STATUS), 0), limitMs / 1000, () => `no SUBACK from ${ctx.address}`);
    const start = performance.now();
    // Retained statuses come right after SUBACK; a short quiet spell means we have them all.
    while ((performance.now() - last < 300 || performance.now() - start < 300) && performance.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    await client.end({ timeoutMs: 1000 });
  }
  const list = kept(
    [...rows.values()].sort((a, b) => a.id.localeCompare(b.id, "en", { numeric: true })),
    values.state,
    values.match,
  );
  if (values.json) process.stdout.write(terminalJson(list) + "\n");
  else if (list.length === 0) process.stdout.write(`no devices under ${ctx.prefix}/${rows.size > 0 ? ` that match (${rows.size} in all)` : ""}\n`);
  else process.stdout.write(listing(list));
  return EXIT.ok;
}
