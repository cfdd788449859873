// The PC's half of a firmware update over MQTT, for one board (the board's half is
// firmware/src/ota.ts; docs/ota.md has the exchange). Asks the board for its manifest, sends the
// files that differ when the board asks for each chunk, then waits for the board to come back
// online with the new version, or with the old one after a rollback.
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ONLINE, STATUS, topic } from "../../firmware/src/contract.ts";
import {
  OTA_ACCEPTED,
  OTA_BAD_CHECKSUM,
  OTA_BUSY,
  OTA_DONE,
  OTA_IN,
  OTA_MANIFEST_ASK,
  OTA_NO_ROOM,
  OTA_PROGRESS,
  OTA_REFUSED,
  OTA_SIGNED_FORMAT,
  OTA_STATUS,
} from "../../firmware/src/otacontract.ts";
import type { Message, MqttClient } from "../../host/mqtt/index.ts";
import { boardPayloadLimit } from "../../host/names.ts";
import { adler32 } from "../serial/adler32.ts";

/** Files an update never sends: the boot guard that rolls back, and each board's own settings. */
export const KEPT_FILES = ["init.lua", "config.lua"];

/** What an update sends: the build's version and its files. */
export interface Firmware {
  version: string;
  files: { name: string; data: Buffer }[];
}

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
  /** From "done" to online again, ms (default 180 s: the rollback takes OTA_BOOTS boots). */
  onlineMs?: number;
}

/** The board's manifest: its version, max_message_length, per-file "size a b", the last update's state and a fresh nonce. */
interface Manifest {
  version: string;
  maxlen: number;
  files: Map<string, string>;
  last: string;
  nonce: number;
}

/** Reads the files a build folder's manifest.json names. */
export function readFirmware(dir: string): Firmware {
  const m = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as { version: string; files: { name: string }[] };
  return { version: m.version, files: m.files.map((f) => ({ name: f.name, data: readFileSync(join(dir, f.name)) })) };
}

/** "size a b": how the board names a file's size and the two halves of its Adler-32. */
function signature(data: Buffer): string {
  const sum = adler32(data);
  return `${data.length} ${sum % 65536} ${Math.floor(sum / 65536)}`;
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

/** Updates one board over `client` (connected); resolves with how it ended, never throws for the board's answers. */
export async function updateBoard(client: MqttClient, id: string, fw: Firmware, opts: UpdateOptions): Promise<BoardResult> {
  const tIn = topic(opts.prefix, id, OTA_IN);
  const tOta = topic(opts.prefix, id, OTA_STATUS);
  const tStatus = topic(opts.prefix, id, STATUS);
  const answerMs = opts.answerMs ?? 15000;
  const inbox = new Inbox(client, [tOta, tStatus]);
  const result: BoardResult = { id, outcome: "failed", to: fw.version, sent: [], bytes: 0 };
  try {
    await client.subscribe([
      { topic: tOta, qos: 1 },
      { topic: tStatus, qos: 1 },
    ]);
    const manifest = await askManifest(client, inbox, tIn, tOta, answerMs);
    if (!manifest) return { ...result, error: `no answer from ${id} on ${tOta} (is it online, and was its firmware built with "ota" in device.json?)` };
    result.from = manifest.version;
    const files = fw.files.filter((f) => !KEPT_FILES.includes(f.name) && manifest.files.get(f.name) !== signature(f.data));
    if (files.length === 0) return { ...result, outcome: "current" };
    result.sent = files.map((f) => f.name);
    result.bytes = files.reduce((n, f) => n + f.data.length, 0);
    // Room for the chunk header "d <file> <offset>\n" beside the data.
    const chunk = boardPayloadLimit(manifest.maxlen, tIn, 0) - 24;
    const begin = `b ${fw.version} - ${files.map((f) => `${f.name} ${signature(f.data)}`).join(" ")}`;
    await client.publish(tIn, opts.secret === undefined ? begin : signed(begin, manifest.nonce, opts.secret), { qos: 1 });
    const error = await transfer(client, inbox, tIn, tOta, files, chunk, answerMs, opts.progress);
    if (error) return { ...result, error };
    return { ...result, ...(await comeBack(inbox, tStatus, fw.version, opts.onlineMs ?? 180000)) };
  } finally {
    inbox.close();
  }
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

async function askManifest(client: MqttClient, inbox: Inbox, tIn: string, tOta: string, answerMs: number): Promise<Manifest | undefined> {
  const end = Date.now() + answerMs;
  while (Date.now() < end) {
    await client.publish(tIn, OTA_MANIFEST_ASK, { qos: 1 });
    const askedAt = Date.now();
    while (Date.now() - askedAt < 3000) {
      const m = await inbox.next(3000 - (Date.now() - askedAt));
      if (!m || m.topic !== tOta) continue;
      const body = JSON.parse(m.payload.toString()) as { ota: string; version: string; maxlen: number; files: string; last: string; nonce: number };
      if (body.ota !== "manifest") continue;
      const files = new Map<string, string>();
      for (const entry of body.files.split(";").filter(Boolean)) {
        const [name, ...sig] = entry.split(" ");
        files.set(name!, sig.join(" "));
      }
      return { version: body.version, maxlen: body.maxlen, files, last: body.last, nonce: body.nonce };
    }
  }
  return undefined;
}

const FAILURES: Record<string, string> = {
  [OTA_BAD_CHECKSUM]: "a file did not verify on the board (size or checksum)",
  [OTA_NO_ROOM]: "not enough free flash on the board for the update beside the current firmware",
  [OTA_BUSY]: "the board is busy with another update",
  [OTA_REFUSED]: "the board refused the update (a file it never takes, or, on a board with a secret, no or a wrong HMAC: check ota.secret in device.json)",
};

/** Answers the board's asks with chunks until it reports DONE; an error text otherwise. */
async function transfer(
  client: MqttClient,
  inbox: Inbox,
  tIn: string,
  tOta: string,
  files: Firmware["files"],
  chunk: number,
  answerMs: number,
  progress?: (bytes: number, total: number) => void,
): Promise<string | undefined> {
  for (;;) {
    const m = await inbox.next(answerMs);
    if (!m) return `the board stopped answering for ${answerMs / 1000} s during the update; its old firmware is untouched: run mcu ota again`;
    if (m.topic !== tOta) continue;
    const s = JSON.parse(m.payload.toString()) as { ota: string; bytes: number; total: number; file: number; at: number };
    if (s.ota === OTA_DONE) return undefined;
    if (FAILURES[s.ota]) return FAILURES[s.ota];
    if (s.ota !== OTA_ACCEPTED && s.ota !== OTA_PROGRESS) continue;
    progress?.(s.bytes, s.total);
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
async function comeBack(inbox: Inbox, tStatus: string, version: string, onlineMs: number): Promise<Partial<BoardResult>> {
  const end = Date.now() + onlineMs;
  while (Date.now() < end) {
    const m = await inbox.next(end - Date.now());
    if (!m || m.topic !== tStatus || m.retain) continue;
    const s = JSON.parse(m.payload.toString()) as { state: string; version?: string };
    if (s.state !== ONLINE) continue;
    if (s.version === version) return { outcome: "updated" };
    return { outcome: "rolledback", error: `${version} did not reach the broker; the board rolled back to ${s.version}` };
  }
  return { error: `the board did not come back online within ${onlineMs / 1000} s after the update` };
}
