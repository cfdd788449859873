// The PC's half of a firmware update over MQTT, for one board (the board's half is
// firmware/src/ota.ts; docs/ota.md has the exchange). Asks the board for its manifest, sends the
// files that differ when the board asks for each chunk, then waits for the board to come back
// online with the new version, or with the old one after a rollback.
import { createHash, createHmac, randomBytes } from "node:crypto";
import { ONLINE, STATUS, topic } from "../../firmware/src/contract.ts";
import {
  OTA_ACCEPTED,
  OTA_BAD_CHECKSUM,
  OTA_BUSY,
  OTA_DONE,
  OTA_IN,
  OTA_MANIFEST_ASK,
  OTA_MAX_FILES,
  OTA_NO_ROOM,
  OTA_PROGRESS,
  OTA_PROTO,
  OTA_REFUSED,
  OTA_SIGNED_FORMAT,
  OTA_STATUS,
} from "../../firmware/src/otacontract.ts";
import type { Message, MqttClient } from "../../host/mqtt/index.ts";
import { boardPayloadLimit } from "../../host/payload-limits.ts";
import { jsonObject, parseStatus, text } from "../../host/status.ts";
import type { FirmwareFiles } from "../compiler/manifest.ts";
import { adler32 } from "../serial/adler32.ts";

/** Files an update never sends: the boot guard that rolls back, and each board's own settings. */
export const KEPT_FILES = ["init.lua", "config.lua"];

/** How an update of one board ended. */
export type Outcome = "updated" | "current" | "rolledback" | "failed";

export interface BoardResult {
  id: string;
  outcome: Outcome;
  /** Version the board ran before. */
  from?: string;
  to: string;
  /** Files sent (the ones that differed). */
  sent: string[];
  bytes: number;
  /** Why it failed, for a person. */
  error?: string;
}

export interface UpdateOptions {
  prefix: string;
  /** The boards' shared secret (device.json ota.secret): each begin command carries its HMAC. Never printed. */
  secret?: string;
  /** Called as chunks are asked for. */
  progress?: (bytes: number, total: number) => void;
  /** Silence from the board before giving up, ms (default 15 s). */
  answerMs?: number;
  /** From "done" to online again, ms (default 180 s: the rollback takes OTA_BOOTS boots); also the longest wait for another update. */
  onlineMs?: number;
  /**
   * This run's token in the begin command; the board's answers carry it, so runs at once tell theirs
   * apart, and a begin with the same token starts the run over. Default: a random one per call.
   */
  token?: string;
  /** Called as the update moves on (what Ctrl-C reports). */
  phase?: (phase: Phase) => void;
}

/** Where an update of one board stands. */
export type Phase =
  | { at: "asking" }
  | { at: "waiting"; version: string }
  | { at: "sending"; bytes: number; total: number }
  | { at: "restarting" };

/** What the board's state is after a run stopped in `p`, for a person. */
export function leftAs(p: Phase | undefined, to: string): string {
  if (!p || p.at === "asking") return "nothing was sent; it runs the firmware it had";
  if (p.at === "waiting") return `another update (${p.version}) held it; nothing of ${to} was sent`;
  if (p.at === "sending")
    return `stopped at ${p.bytes} of ${p.total} bytes; the board drops the update within 30 s and keeps the firmware it had`;
  return `it had every file and restarts into ${to}, rolling back by itself if that does not reach the broker; mcu ota again says which`;
}

/** The board's manifest: its version, max_message_length, per-file "size a b", the last update's state and a fresh nonce. */
interface Manifest {
  version: string;
  maxlen: number;
  files: Map<string, string>;
  last: string;
  nonce: number;
  /** The exchange's revision (OTA_PROTO); none from a board of the first one. */
  proto?: number;
}

/** "size a b": how the board names a file's size and the two halves of its Adler-32. */
function signature(data: Buffer): string {
  const sum = adler32(data);
  return `${data.length} ${sum % 65536} ${Math.floor(sum / 65536)}`;
}

/** One of the board's answers on OTA_STATUS (OTA_FORMAT). */
export interface Answer {
  ota: string;
  version: string;
  bytes: number;
  total: number;
  file: number;
  at: number;
  /** The token of the run it is for. */
  by: string;
}

const whole = (v: unknown): number | undefined =>
  typeof v === "number" && Number.isSafeInteger(v) && v >= 0 ? v : undefined;

/** The manifest's %XX (firmware OTA_PLAIN) back to the board's bytes, one char per byte as board names are handled. */
function unplain(s: string): string {
  return s.replace(/%([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
}

/** The board's manifest from its payload, or undefined when it is none (any other bytes). */
export function parseManifest(payload: Buffer): Manifest | undefined {
  const o = jsonObject(payload);
  if (o?.ota !== "manifest") return undefined;
  const [version, list, last, maxlen] = [text(o.version), text(o.files), text(o.last), whole(o.maxlen)];
  const nonce = typeof o.nonce === "number" && Number.isSafeInteger(o.nonce) ? o.nonce : undefined;
  if (version === undefined || list === undefined || last === undefined || maxlen === undefined || nonce === undefined)
    return undefined;
  const files = new Map<string, string>();
  for (const entry of list.split(";")) {
    const m = /^(.+) (\d+ \d+ \d+)$/.exec(entry);
    if (m) files.set(unplain(m[1]!), m[2]!);
  }
  return { version: unplain(version), maxlen, files, last: unplain(last), nonce, proto: whole(o.proto) };
}

/** One of the board's answers (OTA_FORMAT) from its payload, or undefined. */
export function parseAnswer(payload: Buffer): Answer | undefined {
  const o = jsonObject(payload);
  if (!o) return undefined;
  const a = {
    ota: text(o.ota),
    version: text(o.version),
    bytes: whole(o.bytes),
    total: whole(o.total),
    file: whole(o.file),
    at: whole(o.at),
    by: text(o.by),
  };
  return Object.values(a).some((v) => v === undefined) ? undefined : (a as Answer);
}

/**
 * The begin command (with "-" for the HMAC) for `files` of `version`, run `token`: each file's
 * name, size, Adler-32 halves and the first 128 bits of its SHA-256 in hex.
 */
export function beginCommand(version: string, token: string, files: FirmwareFiles["files"]): string {
  const each = files.map(
    (f) => `${f.name} ${signature(f.data)} ${createHash("sha256").update(f.data).digest("hex").slice(0, 32)}`,
  );
  return `b ${version} - ${token} ${each.join(" ")}`;
}

/** Messages on the board's topics, one at a time, with a deadline for each. */
class Inbox {
  private queue: Message[] = [];
  private wake: (() => void) | undefined;
  constructor(
    private readonly client: MqttClient,
    private readonly topics: string[],
  ) {
    client.on("message", this.onMessage);
  }
  private readonly onMessage = (m: Message) => {
    if (!this.topics.includes(m.topic)) return;
    this.queue.push(m);
    this.wake?.();
  };
  /** The next message, or undefined after `ms` of silence. */
  async next(ms: number): Promise<Message | undefined> {
    if (this.queue.length === 0) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, ms);
        this.wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.wake = undefined;
    }
    return this.queue.shift();
  }
  close(): void {
    this.client.off("message", this.onMessage);
  }
}

/** How long without an answer of another run before the board is taken to have dropped it: its asks come every 3 s. */
const OTHER_GONE_MS = 7000;

/** Updates one board over `client` (connected); resolves with how it ended, never throws for the board's answers. */
export async function updateBoard(
  client: MqttClient,
  id: string,
  fw: FirmwareFiles,
  opts: UpdateOptions,
): Promise<BoardResult> {
  const tIn = topic(opts.prefix, id, OTA_IN);
  const tOta = topic(opts.prefix, id, OTA_STATUS);
  const tStatus = topic(opts.prefix, id, STATUS);
  const answerMs = opts.answerMs ?? 15000;
  const token = opts.token ?? randomBytes(4).toString("hex");
  const waitEnd = Date.now() + (opts.onlineMs ?? 180000);
  const inbox = new Inbox(client, [tOta, tStatus]);
  const result: BoardResult = { id, outcome: "failed", to: fw.version, sent: [], bytes: 0 };
  try {
    await client.subscribe([
      { topic: tOta, qos: 1 },
      { topic: tStatus, qos: 1 },
    ]);
    for (;;) {
      opts.phase?.({ at: "asking" });
      const manifest = await askManifest(client, inbox, tIn, tOta, answerMs);
      if (!manifest)
        return {
          ...result,
          error: `no answer from ${id} on ${tOta} (is it online, and was its firmware built with "ota" in device.json?)`,
        };
      result.from = manifest.version;
      if (manifest.proto !== OTA_PROTO) {
        return {
          ...result,
          error:
            "its firmware has the first OTA receiver, which this mcu ota's begin would crash: flash this build once over serial (./flash.sh)",
        };
      }
      const files = fw.files.filter(
        (f) => !KEPT_FILES.includes(f.name) && manifest.files.get(f.name) !== signature(f.data),
      );
      if (files.length === 0) return { ...result, outcome: "current" };
      result.sent = files.map((f) => f.name);
      result.bytes = files.reduce((n, f) => n + f.data.length, 0);
      // Room for the chunk header "d <file> <offset>\n" beside the data.
      const chunk = boardPayloadLimit(manifest.maxlen, tIn, 0) - 24;
      if (chunk < 1)
        return { ...result, error: `the board's max_message_length (${manifest.maxlen}) leaves no room for a chunk` };
      const begin = beginCommand(fw.version, token, files);
      if (files.length > OTA_MAX_FILES || Buffer.byteLength(begin) + 64 > boardPayloadLimit(manifest.maxlen, tIn, 0)) {
        return {
          ...result,
          error: `${files.length} changed files do not fit one update (at most ${OTA_MAX_FILES}, and the begin command within the board's max_message_length ${manifest.maxlen}): update it over serial, or in smaller steps`,
        };
      }
      await client.publish(tIn, opts.secret === undefined ? begin : signed(begin, manifest.nonce, opts.secret), {
        qos: 1,
      });
      const end = await transfer(client, inbox, tIn, tOta, token, files, chunk, answerMs, opts);
      if (typeof end === "string") return { ...result, error: end };
      if (end.busy !== undefined) {
        // Another run holds the board: wait for it to end, then start over from the manifest.
        opts.phase?.({ at: "waiting", version: end.busy });
        if (!(await othersEnd(inbox, tOta, token, waitEnd))) {
          return {
            ...result,
            error: `another update (${end.busy}) held the board for ${Math.round((opts.onlineMs ?? 180000) / 1000)} s; run mcu ota again later`,
          };
        }
        continue;
      }
      opts.phase?.({ at: "restarting" });
      return { ...result, ...(await comeBack(inbox, tStatus, fw.version, opts.onlineMs ?? 180000)) };
    }
  } finally {
    inbox.close();
  }
}

/** Waits until another run's update ends (its result, or its asks stop); false at `end`. */
async function othersEnd(inbox: Inbox, tOta: string, token: string, end: number): Promise<boolean> {
  let heard = Date.now();
  while (Date.now() < end) {
    const m = await inbox.next(Math.max(1, Math.min(end, heard + OTHER_GONE_MS) - Date.now()));
    if (!m) {
      if (Date.now() - heard >= OTHER_GONE_MS) return true;
      continue;
    }
    const a = m.topic === tOta ? parseAnswer(m.payload) : undefined;
    if (!a || a.by === token) continue;
    heard = Date.now();
    if (a.ota !== OTA_ACCEPTED && a.ota !== OTA_PROGRESS && a.ota !== OTA_BUSY) return true;
  }
  return false;
}

/**
 * The begin command with the HMAC-SHA256 (hex) of the board's nonce and the command in place of its
 * "-": the board recomputes it with its copy of the secret (firmware/src/otamac.ts).
 */
export function signed(begin: string, nonce: number, secret: string): string {
  const mac = createHmac("sha256", secret)
    .update(OTA_SIGNED_FORMAT.replace("%d", String(nonce)).replace("%s", begin))
    .digest("hex");
  return begin.replace(/^(b \S+ )-/, `$1${mac}`);
}

async function askManifest(
  client: MqttClient,
  inbox: Inbox,
  tIn: string,
  tOta: string,
  answerMs: number,
): Promise<Manifest | undefined> {
  const end = Date.now() + answerMs;
  while (Date.now() < end) {
    await client.publish(tIn, OTA_MANIFEST_ASK, { qos: 1 });
    const askedAt = Date.now();
    while (Date.now() - askedAt < 3000) {
      const m = await inbox.next(3000 - (Date.now() - askedAt));
      if (!m || m.topic !== tOta) continue;
      const manifest = parseManifest(m.payload);
      if (manifest) return manifest;
    }
  }
  return undefined;
}

const FAILURES: Record<string, string> = {
  [OTA_BAD_CHECKSUM]: "a file did not verify on the board (size, checksum or, with a secret, its SHA-256)",
  [OTA_NO_ROOM]: "not enough free flash on the board for the update beside the current firmware",
  [OTA_REFUSED]:
    "the board refused the update (a file or name it never takes, or, on a board with a secret, no or a wrong HMAC: check ota.secret in device.json)",
};

/**
 * Answers the board's asks with chunks until it reports DONE: {} then; {busy: version} when another
 * run holds the board; an error text otherwise. Only this run's answers (its token) count.
 */
async function transfer(
  client: MqttClient,
  inbox: Inbox,
  tIn: string,
  tOta: string,
  token: string,
  files: FirmwareFiles["files"],
  chunk: number,
  answerMs: number,
  opts: UpdateOptions,
): Promise<string | { busy?: string }> {
  for (;;) {
    const m = await inbox.next(answerMs);
    if (!m)
      return `the board stopped answering for ${answerMs / 1000} s during the update; its old firmware is untouched: run mcu ota again`;
    const s = m.topic === tOta ? parseAnswer(m.payload) : undefined;
    if (!s || s.by !== token) continue;
    if (s.ota === OTA_DONE) return {};
    if (s.ota === OTA_BUSY) return { busy: s.version };
    if (FAILURES[s.ota]) return FAILURES[s.ota]!;
    if (s.ota !== OTA_ACCEPTED && s.ota !== OTA_PROGRESS) continue;
    opts.progress?.(s.bytes, s.total);
    opts.phase?.({ at: "sending", bytes: s.bytes, total: s.total });
    const f = files[s.file - 1];
    if (!f) return `the board asked for file ${s.file}, which the update does not have`;
    const data = f.data.subarray(s.at, s.at + chunk);
    await client.publish(tIn, Buffer.concat([Buffer.from(`d ${s.file} ${s.at}\n`), data]), { qos: 0 });
  }
}

/**
 * After DONE the board restarts: online with the new version, or with the old one after a rollback.
 * Only a status published now counts (the broker marks one it kept from before as retained); the
 * will's "offline" in between may come late or not at all when the new session takes the old one over.
 */
async function comeBack(
  inbox: Inbox,
  tStatus: string,
  version: string,
  onlineMs: number,
): Promise<Partial<BoardResult>> {
  const end = Date.now() + onlineMs;
  while (Date.now() < end) {
    const m = await inbox.next(end - Date.now());
    if (!m || m.topic !== tStatus || m.retain) continue;
    const s = parseStatus(m.payload);
    if (s?.state !== ONLINE) continue;
    if (s.version === version) return { outcome: "updated" };
    return {
      outcome: "rolledback",
      error: `${version} did not reach the broker; the board rolled back to ${s.version}`,
    };
  }
  return { error: `the board did not come back online within ${onlineMs / 1000} s after the update` };
}
