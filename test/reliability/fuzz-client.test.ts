// 10,000 random and mutated frames from a fake server to the MQTT client core (the one the CLI
// and the emulated board use): no crash, no hang, and each broken exchange ends in an MqttError
// that names the server. SOAK=1 runs 100,000.
import assert from "node:assert/strict";
import { type AddressInfo, createServer, type Socket } from "node:net";
import { test } from "node:test";
import mqttPacket from "mqtt-packet";
import { MqttClient, MqttError } from "../../host/mqtt/index.ts";
import { fuzzSeed, mutate, randomBuffer, rng } from "../helpers/fuzz.ts";

const CASES = process.env.SOAK === "1" ? 100_000 : 10_000;
/** A case that has not ended this long after its server hung up counts as a hang. */
const HANG_MS = 5000;
/** About 10 s for 10,000 cases on two CPUs: a few times that, or half an hour for a soak. */
const TIMEOUT_MS = process.env.SOAK === "1" ? 1_800_000 : CASES * 20;

const gen = (p: object) => mqttPacket.generate(p as mqttPacket.Packet);
const CONNACK = gen({ cmd: "connack", returnCode: 0, sessionPresent: false });
const FRAMES = [
  CONNACK,
  gen({ cmd: "connack", returnCode: 5, sessionPresent: false }),
  gen({ cmd: "publish", topic: "nodemcu/k/out", payload: Buffer.from("echo"), qos: 0, dup: false, retain: false }),
  gen({
    cmd: "publish",
    topic: "nodemcu/k/out",
    payload: Buffer.alloc(300, 7),
    qos: 1,
    messageId: 7,
    dup: false,
    retain: false,
  }),
  gen({ cmd: "publish", topic: "a/b", payload: Buffer.from([0, 255]), qos: 2, messageId: 9, dup: true, retain: true }),
  gen({ cmd: "puback", messageId: 1 }),
  gen({ cmd: "pubrec", messageId: 2 }),
  gen({ cmd: "pubrel", messageId: 3 }),
  gen({ cmd: "pubcomp", messageId: 4 }),
  gen({ cmd: "suback", messageId: 1, granted: [1, 128] }),
  gen({ cmd: "unsuback", messageId: 1 }),
  gen({ cmd: "pingresp" }),
];

test(`${CASES} random and mutated frames from a fake server: no crash, no hang, a clear error each time`, {
  timeout: TIMEOUT_MS,
}, async () => {
  const seed = fuzzSeed();
  const r = rng(seed);
  let frame: Buffer = Buffer.alloc(0);
  const server = createServer((sock: Socket) => {
    sock.on("error", () => {});
    // Answer the CONNECT with the case's bytes (after a good CONNACK half the time, so frames
    // reach a connected client too), then hang up.
    sock.once("data", () => {
      sock.end(r() < 0.5 ? Buffer.concat([CONNACK, frame]) : frame);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const address = `127.0.0.1:${port}`;
  const crashes: unknown[] = [];
  const onCrash = (err: unknown) => crashes.push(err);
  process.on("uncaughtException", onCrash);
  const codes = new Map<string, number>();
  let connected = 0;
  try {
    for (let i = 0; i < CASES; i++) {
      const base = FRAMES[Math.floor(r() * FRAMES.length)]!;
      frame = r() < 0.1 ? randomBuffer(r, 200) : mutate(r, base);
      const c = new MqttClient({ host: "127.0.0.1", port, clientId: "fuzz", keepalive: 0, connectTimeoutMs: HANG_MS });
      const ended = new Promise<void>((resolve) => c.once("close", () => resolve()));
      c.on("error", () => {});
      let outcome: MqttError | undefined;
      const settled = c.connect().then(
        async () => {
          connected++;
          await ended; // the server hangs up after the frame
        },
        (err: unknown) => {
          assert.ok(
            err instanceof MqttError,
            `frame ${frame.toString("hex")} (seed ${seed}): not an MqttError: ${String(err)}`,
          );
          outcome = err;
        },
      );
      let timer: NodeJS.Timeout | undefined;
      const hang = new Promise<"hang">((resolve) => (timer = setTimeout(() => resolve("hang"), HANG_MS)));
      const result = await Promise.race([settled, hang]);
      clearTimeout(timer);
      c.destroy();
      assert.notEqual(result, "hang", `frame ${frame.toString("hex")} (seed ${seed}) left the client hanging`);
      if (outcome) {
        codes.set(outcome.code, (codes.get(outcome.code) ?? 0) + 1);
        assert.ok(
          outcome.message.includes(address),
          `frame ${frame.toString("hex")} (seed ${seed}): the error does not name the server: ${outcome.message}`,
        );
      }
    }
  } finally {
    process.off("uncaughtException", onCrash);
    await new Promise((resolve) => server.close(resolve));
  }
  console.log(
    `# client core fuzz (seed ${seed}): ${CASES} frames, ${connected} reached a connected client, refusals and errors: ${JSON.stringify(Object.fromEntries(codes))}`,
  );
  assert.deepEqual(crashes, []);
  assert.ok(codes.size >= 2 && connected > 0, "the cases reached both the CONNACK handling and a connected client");
});
