// A fleet rollout: the first `canary` boards one after another, then, when every canary came
// online with the new version, the rest at most `parallel` at a time. A failed canary stops it.
import type { MqttClient } from "../../host/mqtt/index.ts";
import type { FirmwareFiles } from "../compiler/manifest.ts";
import { type BoardResult, type Phase, updateBoard } from "./update.ts";

export interface RolloutOptions {
  prefix: string;
  /** The boards' shared secret (UpdateOptions.secret). */
  secret?: string;
  parallel: number;
  canary: number;
  /** A board's progress (bytes of total), and a board's end. */
  progress?: (id: string, bytes: number, total: number) => void;
  done?: (r: BoardResult) => void;
  /** Where each board's update stands (what Ctrl-C reports). */
  phase?: (id: string, p: Phase) => void;
  answerMs?: number;
  onlineMs?: number;
}

/** Boards not tried because a canary failed. */
export const SKIPPED = "not tried: a canary failed";

export async function rollout(
  client: MqttClient,
  ids: string[],
  fw: FirmwareFiles,
  opts: RolloutOptions,
): Promise<BoardResult[]> {
  const results: BoardResult[] = [];
  const one = async (id: string) => {
    const r = await updateBoard(client, id, fw, {
      prefix: opts.prefix,
      secret: opts.secret,
      answerMs: opts.answerMs,
      onlineMs: opts.onlineMs,
      progress: (bytes, total) => opts.progress?.(id, bytes, total),
      phase: (p) => opts.phase?.(id, p),
    });
    results.push(r);
    opts.done?.(r);
    return r;
  };
  const canaries = ids.slice(0, opts.canary);
  for (const id of canaries) {
    const r = await one(id);
    if (r.outcome === "failed" || r.outcome === "rolledback") {
      const skipped = ids
        .slice(results.length)
        .map((s): BoardResult => ({ id: s, outcome: "failed", to: fw.version, sent: [], bytes: 0, error: SKIPPED }));
      return [...results, ...skipped];
    }
  }
  const rest = ids.slice(canaries.length);
  let next = 0;
  const worker = async () => {
    while (next < rest.length) await one(rest[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(opts.parallel, rest.length) }, worker));
  return results;
}
