// `mcu ota`: updates boards' firmware over MQTT from a build folder (tools/ota/update.ts per
// board, tools/ota/rollout.ts for a fleet).
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { ONLINE, STATUS } from "../../firmware/src/contract.ts";
import { ANSWER_TIMEOUT_S, COMMON_USAGE, connect, hostContext, parseVerb } from "../../host/cli/options.ts";
import { printable } from "../../host/cli/output.ts";
import { type Column, EXIT, table, usageError, wholeNumber } from "../../host/kit/index.ts";
import type { MqttClient } from "../../host/mqtt/index.ts";
import { allDevices } from "../../host/names.ts";
import { collectStatuses, parseStatus } from "../../host/status.ts";
import { readBuildFiles } from "../compiler/manifest.ts";
import { rollout } from "./rollout.ts";
import { type BoardResult, leftAs, type Phase } from "./update.ts";

export const usage = `usage: mcu ota [--device ID | --devices a,b | --all] [--build DIR] [--parallel N] [--canary K] [--json]

Updates boards over MQTT with the build in DIR (default build/lua; mcu build makes it). Each board
is asked for its manifest first and gets only the files that differ (never init.lua or its own
config.lua); it checks every file, swaps them all at once and restarts, and rolls back by itself
when the new firmware does not reach the broker. --all: every board online under the prefix.
The first K boards (--canary, default 1) go one by one; if one fails, the rest are not tried.
Then --parallel N (default 4) at a time. A line per board (a progress bar on a terminal), then a
table; --json prints the results instead. Exit 0 when every board runs the build, 1 otherwise.
A board takes updates only when its firmware was built with "ota" in device.json (and flashed
once over serial); with "ota": {"secret": …} it takes only updates signed with that secret, which
mcu ota reads from the same device.json (--config).

${COMMON_USAGE}

example:
  mcu build && mcu ota --device kitchen
  mcu ota --all --canary 5 --parallel 20 --json`;

const own = {
  devices: { type: "string" },
  all: { type: "boolean" },
  build: { type: "string" },
  parallel: { type: "string" },
  canary: { type: "string" },
  json: { type: "boolean" },
} as const;

const COLUMNS: Column[] = ["device", "result", "from", "to", "files", "bytes"].map((header) => ({ header }));

/** Ids of the boards online under the prefix, from their retained statuses. */
async function onlineBoards(client: MqttClient, prefix: string, address: string): Promise<string[]> {
  const statuses = await collectStatuses(client, prefix, ANSWER_TIMEOUT_S, address);
  await client.unsubscribe(allDevices(prefix, STATUS));
  const online = [...statuses].filter(([, s]) => s.message.retain && parseStatus(s.message.payload)?.state === ONLINE);
  return online.map(([id]) => id).sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
}

/** A board's result for a person: every string that came from the broker or a board escaped. */
export function line(r: BoardResult): string {
  const what =
    r.outcome === "updated"
      ? `updated ${r.from} -> ${r.to} (${r.sent.join(", ")}, ${r.bytes} bytes)`
      : r.outcome === "current"
        ? `already runs ${r.to}`
        : r.outcome;
  return `${printable(`${r.id}: ${what}${r.error ? `: ${r.error}` : ""}`)}\n`;
}

/** JSON with the C1 controls (which JSON.stringify leaves raw, and terminals obey) escaped too. */
export function safeJson(v: unknown): string {
  return JSON.stringify(v).replace(
    /[\u007f-\u009f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

function bar(id: string, bytes: number, total: number): string {
  const width = 20;
  const filled = total > 0 ? Math.round((bytes / total) * width) : 0;
  return `\r${printable(id)} [${"#".repeat(filled)}${" ".repeat(width - filled)}] ${bytes}/${total}\x1b[K`;
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseVerb(argv, own, usage);
  if (positionals.length > 0) usageError(`unexpected argument "${positionals[0]}"`);
  const chosen = [values.device !== undefined, values.devices !== undefined, values.all === true].filter(
    Boolean,
  ).length;
  if (chosen !== 1) usageError("name the boards with one of --device ID, --devices a,b or --all");
  const parallel = wholeNumber("parallel", values.parallel, { min: 1 }) ?? 4;
  const canary = wholeNumber("canary", values.canary, { min: 0 }) ?? 1;
  const dir = resolve(values.build ?? "build/lua");
  if (!existsSync(join(dir, "manifest.json")))
    usageError(`${dir} holds no build (manifest.json): run mcu build first, or give --build DIR`);
  const fw = readBuildFiles(dir);
  const ctx = hostContext(values, "ota");
  const client = await connect(ctx);
  client.setMaxListeners(0);
  const tty = process.stdout.isTTY && !values.json;
  const phases = new Map<string, Phase>();
  const finished = new Map<string, BoardResult>();
  let ids: string[] = [];
  // Ctrl-C: say for each board how it was left, then exit 130 as a shell expects.
  process.once("SIGINT", () => {
    const lines = ids.map((id) => {
      const r = finished.get(id);
      if (r) return line(r);
      return printable(`${id}: interrupted: ${leftAs(phases.get(id), fw.version)}`) + "\n";
    });
    process.stderr.write((tty ? "\r\x1b[K" : "") + "mcu ota: interrupted\n" + lines.join(""));
    process.exit(130);
  });
  try {
    ids = values.all
      ? await onlineBoards(client, ctx.prefix, ctx.address)
      : values.devices
        ? values.devices.split(",").map((s) => s.trim())
        : [ctx.device!];
    if (ids.length === 0) usageError(`no board is online under ${ctx.prefix}/`);
    const results = await rollout(client, ids, fw, {
      prefix: ctx.prefix,
      secret: ctx.otaSecret,
      parallel,
      canary,
      progress: tty ? (id, bytes, total) => process.stdout.write(bar(id, bytes, total)) : undefined,
      phase: (id, p) => phases.set(id, p),
      done: (r) => {
        finished.set(r.id, r);
        if (!values.json) process.stdout.write((tty ? "\r\x1b[K" : "") + line(r));
      },
    });
    if (values.json) process.stdout.write(safeJson(results) + "\n");
    else {
      const rows = results.map((r) =>
        [r.id, r.outcome, r.from ?? "", r.to, String(r.sent.length), String(r.bytes)].map(printable),
      );
      process.stdout.write(table(rows, COLUMNS).join("\n") + "\n");
    }
    return results.every((r) => r.outcome === "updated" || r.outcome === "current") ? EXIT.ok : EXIT.failure;
  } finally {
    await client.end({ timeoutMs: 1000 });
  }
}
