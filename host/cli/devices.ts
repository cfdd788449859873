// `mcu devices`: every device's retained status under a prefix.
import { type Column, EXIT, number, printable, table, terminalJson, usageError } from "../kit/index.ts";
import type { Message } from "../mqtt/index.ts";
import { collectStatuses, parseStatus, type StatusMessage } from "../status.ts";
import { globMatcher } from "./glob.ts";
import { COMMON_USAGE, connect, hostContext, parseVerb } from "./options.ts";

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

const own = {
  timeout: { type: "string" },
  json: { type: "boolean" },
  state: { type: "string" },
  match: { type: "string" },
} as const;

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
  const s = parseStatus(m.payload);
  const changed = m.retain ? "retained" : at.toISOString();
  return {
    id,
    state: s?.state ?? "invalid status",
    ip: s?.ip ?? "",
    heap: s?.heap ?? null,
    version: s?.version ?? "",
    changed,
  };
}

const COLUMNS: Column[] = ["id", "state", "ip", "heap", "version", "changed"].map((header) => ({ header }));

function listing(rows: DeviceRow[]): string {
  // Statuses are anyone's to publish: their text must not drive the terminal.
  const cells = rows.map((r) =>
    [r.id, r.state, r.ip, r.heap === null ? "" : String(r.heap), r.version, r.changed].map(printable),
  );
  return table(cells, COLUMNS).join("\n") + "\n";
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseVerb(argv, own, usage);
  if (positionals.length > 0) usageError(`unexpected argument "${positionals[0]}"`);
  const ctx = hostContext(values, "devices");
  const limitS = number("timeout", values.timeout, { positive: true, unit: "seconds" }) ?? 3;
  const client = await connect(ctx);
  let statuses: Map<string, StatusMessage>;
  try {
    statuses = await collectStatuses(client, ctx.prefix, limitS, ctx.address);
  } finally {
    await client.end({ timeoutMs: 1000 });
  }
  const rows = new Map([...statuses].map(([id, { message, at }]) => [id, rowOf(id, message, at)]));
  const list = kept(
    [...rows.values()].sort((a, b) => a.id.localeCompare(b.id, "en", { numeric: true })),
    values.state,
    values.match,
  );
  if (values.json) process.stdout.write(terminalJson(list) + "\n");
  else if (list.length === 0)
    process.stdout.write(
      `no devices under ${ctx.prefix}/${rows.size > 0 ? ` that match (${rows.size} in all)` : ""}\n`,
    );
  else process.stdout.write(listing(list));
  return EXIT.ok;
}
