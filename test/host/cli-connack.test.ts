// A broker's CONNACK refusal exits with a code of its own: 3, 4 and 5 as themselves, and 1 and 2
// (which would read as failure and usage) as 6 and 7. A fake server answers every CONNECT with
// the refusal under test and keeps the link open, so the client sees the CONNACK, not a hang-up.
import assert from "node:assert/strict";
import { createServer, type Server, type Socket } from "node:net";
import { after, before, test } from "node:test";
import mqttPacket from "mqtt-packet";
import { mcu, mcuBin } from "../helpers/cli.ts";

const servers: Server[] = [];
const sockets = new Set<Socket>();

before(() => {
  mcuBin(); // never rebuild dist/ while other test files run the CLI from it
});
after(() => {
  for (const s of sockets) s.destroy();
  for (const s of servers) s.close();
});

/** A server that refuses every connection with `returnCode`; resolves to its mqtt:// URL. */
async function refusing(returnCode: number): Promise<string> {
  const server = createServer((s) => {
    sockets.add(s);
    s.on("error", () => {});
    s.once("data", () => s.write(mqttPacket.generate({ cmd: "connack", returnCode, sessionPresent: false })));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return `mqtt://127.0.0.1:${(server.address() as { port: number }).port}`;
}

const cases: [returnCode: number, exit: number, reason: RegExp][] = [
  [1, 6, /refused the connection: unacceptable protocol version/],
  [2, 7, /refused the connection: client id rejected/],
  [3, 3, /refused the connection: server unavailable/],
  [4, 4, /refused the connection: bad user name or password/],
  [5, 5, /refused the connection: not authorized/],
];

for (const [returnCode, exit, reason] of cases) {
  test(`CONNACK ${returnCode} is exit ${exit}`, async () => {
    const r = await mcu(["send", "--broker", await refusing(returnCode), "--device", "k", "hi"]);
    assert.equal(r.code, exit, r.stderr);
    assert.match(r.stderr, reason);
  });
}
