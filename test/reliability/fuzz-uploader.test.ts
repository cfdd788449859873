// The uploader (BoardSession) against a fake serial line (serialport's mock binding) whose
// "board" answers every request with the right reply, mutated or replaced by noise: 10,000
// such frames. No crash, no hang, and every failure a SerialError with a code the operation can
// end in (never a TypeError or a plain Error), and no operation that claims success on a reply
// it could not have understood. A line that goes quiet after a broken reply is unplugged, as a
// user would, so cases end fast. SOAK=1 runs 100,000.
import assert from "node:assert/strict";
import { test } from "node:test";
import { SerialPortMock } from "serialport";
import { SerialError, type SerialErrorCode } from "../../tools/serial/errors.ts";
import { Link } from "../../tools/serial/link.ts";
import { BLOCK, BoardSession } from "../../tools/serial/session.ts";
import { fuzzSeed, mutate, randomBuffer, rng } from "../helpers/fuzz.ts";

const FRAMES = process.env.SOAK === "1" ? 100_000 : 10_000;
/** About 20 s for 10,000 frames on two CPUs: a few times that, or half an hour for a soak. */
const TIMEOUT_MS = process.env.SOAK === "1" ? 1_800_000 : FRAMES * 15;
const QUIET_MS = 3;
const HANG_MS = 30_000;

/** What a NodeMCU board running the session's helpers would answer to one write. */
function reply(request: Buffer, state: { got: number }): Buffer {
  const text = request.toString("latin1");
  if (!text.endsWith("\r\n") || request.length === BLOCK) {
    state.got += request.length;
    return Buffer.from(`#A${state.got}\n`);
  }
  // run() follows each line with a marker line whose output ends the answer.
  const end = /print\("#Q"\.\."(\d+)"\)/.exec(text);
  const out = (s: string) => Buffer.from(`${text}${s}${end ? `#Q${end[1]}\r\n` : ""}> `, "latin1");
  const marker = /print\("#P"\.\."(\d+)"\)/.exec(text);
  if (marker) return out(`#P${marker[1]}\r\n`);
  if (text.startsWith("__ck(")) return out("#C 5 500 700\r\n");
  if (text.startsWith("__up(")) {
    state.got = 0;
    return Buffer.from(`${text}#R\n`, "latin1");
  }
  if (text.startsWith("__c(")) return Buffer.from(`${text}#L 5\nhello> `, "latin1");
  if (text.startsWith("for n,s in pairs(file.list())"))
    return out("#F 5 a.lua\r\n#F 9 init.lua\r\n#S 3000 14 3014\r\n");
  if (text.includes("print(file.exists(n))")) return out("true\r\n");
  if (text.startsWith("for _,n in ipairs(__m)")) return out("#M 1\r\n");
  return out("");
}

type Op = (s: BoardSession) => Promise<unknown>;
/** Every exchange can time out or lose the line; what else each operation may end in. */
const LINE: SerialErrorCode[] = ["TIMEOUT", "CLOSED"];
const OPS: [string, Op, SerialErrorCode[]][] = [
  ["ready", (s) => s.ready(), [...LINE, "NO_PROMPT", "REJECTED"]],
  ["list", (s) => s.list(), [...LINE, "UNEXPECTED"]],
  ["checksum", (s) => s.checksum("a.lua"), [...LINE, "UNEXPECTED"]],
  ["read", (s) => s.read("a.lua"), LINE],
  ["remove", (s) => s.remove("a.lua"), LINE],
  ["run", (s) => s.run("print(1)"), LINE],
  // A cut upload gets the prompt again; a board that keeps answering wrong fails verification.
  [
    "upload",
    (s) => s.upload("a.lua", Buffer.from("print('new firmware')\n".repeat(30))),
    [...LINE, "BOARD_RESET", "NO_PROMPT", "UNEXPECTED", "NOT_VERIFIED", "REJECTED"],
  ],
];

test(`uploader: ${FRAMES} mutated and random replies from a fake serial line: no crash, no hang, clear errors`, {
  timeout: TIMEOUT_MS,
}, async () => {
  const seed = fuzzSeed();
  const r = rng(seed);
  const crashes: unknown[] = [];
  const onCrash = (err: unknown) => crashes.push(err);
  process.on("uncaughtException", onCrash);
  let frames = 0;
  let cases = 0;
  const outcomes = new Map<string, number>();
  try {
    while (frames < FRAMES) {
      const path = `/dev/fuzz${cases++}`;
      SerialPortMock.binding.createPort(path, { echo: false, record: false });
      const port = new SerialPortMock({ path, baudRate: 115200, autoOpen: false });
      await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
      const binding = port.port!;
      const state = { got: 0 };
      let quiet: NodeJS.Timeout | undefined;
      const write = binding.write.bind(binding);
      binding.write = async (buf: Buffer) => {
        await write(buf);
        clearTimeout(quiet);
        let answer = reply(buf, state);
        if (r() < 0.5) {
          answer = r() < 0.15 ? randomBuffer(r, 120) : mutate(r, answer);
          frames++;
        }
        setImmediate(() => {
          if (port.isOpen) binding.emitData(answer);
          quiet = setTimeout(() => port.isOpen && port.close(), QUIET_MS);
        });
      };
      const session = BoardSession.over(Link.over(port), () => {});
      const [name, op, allowed] = OPS[Math.floor(r() * OPS.length)]!;
      let timer: NodeJS.Timeout | undefined;
      const hang = new Promise<"hang">((resolve) => (timer = setTimeout(() => resolve("hang"), HANG_MS)));
      const result = await Promise.race([
        op(session).then(
          (value) => ({ ok: true as const, value }),
          (err: unknown) => ({ ok: false as const, err }),
        ),
        hang,
      ]);
      clearTimeout(timer);
      clearTimeout(quiet);
      if (port.isOpen) await new Promise((resolve) => port.close(resolve));
      SerialPortMock.binding.reset();
      assert.notEqual(result, "hang", `${name} hung (seed ${seed}, case ${cases})`);
      if (result === "hang") continue;
      if (result.ok) {
        outcomes.set(`${name} ok`, (outcomes.get(`${name} ok`) ?? 0) + 1);
        if (name === "read")
          assert.ok(result.value === undefined || Buffer.isBuffer(result.value), `read gave ${String(result.value)}`);
        continue;
      }
      const err = result.err;
      const where = `${name} (seed ${seed}, case ${cases})`;
      assert.ok(
        err instanceof SerialError,
        `${where}: not a SerialError: ${err instanceof Error ? err.stack : String(err)}`,
      );
      const codes = allowed.join(", ");
      assert.ok(allowed.includes(err.code), `${where}: ${err.code} is not one of ${codes}: ${err.message}`);
      outcomes.set(`${name}: ${err.code}`, (outcomes.get(`${name}: ${err.code}`) ?? 0) + 1);
    }
  } finally {
    process.off("uncaughtException", onCrash);
  }
  console.log(
    `# uploader fuzz (seed ${seed}): ${frames} bad frames over ${cases} sessions; outcomes: ${JSON.stringify(Object.fromEntries([...outcomes].sort()))}`,
  );
  assert.deepEqual(crashes, []);
  assert.equal(outcomes.get("upload ok") ?? 0, 0, "no upload may verify against a board whose checksums are wrong");
  // The fake board must keep up with the session's protocol, or every case would just end CLOSED.
  for (const [name] of OPS.filter(([n]) => n !== "upload")) {
    assert.ok(outcomes.has(`${name} ok`), `no ${name} succeeded: the fake board no longer answers like the real one`);
  }
});
