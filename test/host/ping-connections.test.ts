// Why mcu ping is fast on a stock Mosquitto (set_tcp_nodelay off): it sends its requests on a
// connection other than the one its echoes come back on, so the broker never has its PUBACK for a
// request unacknowledged on the socket it forwards the echo through (Nagle would hold the echo
// until our delayed ACK, about 40 ms). The test checks that mechanism, not a time.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { plainContext } from "../../host/cli/options.ts";
import { ping } from "../../host/cli/ping.ts";
import { type Message, MqttClient } from "../../host/mqtt/index.ts";
import { type Broker, startMosquitto } from "../helpers/broker.ts";

let broker: Broker;
before(async () => {
  broker = await startMosquitto();
});
after(() => broker.stop());

test("mcu ping publishes its requests on its own connection, not the one subscribed to the echoes", async () => {
  const echo = new MqttClient({ host: broker.host, port: broker.port, clientId: "echo-pc" });
  await echo.connect();
  echo.on("message", (m: Message) => void echo.publish("nodemcu/pc1/out", m.payload, { qos: 1 }));
  await echo.subscribe("nodemcu/pc1/in", 1);
  const publishedBy = new Set<MqttClient>();
  const subscribedBy = new Set<MqttClient>();
  const { publish, subscribe } = MqttClient.prototype;
  MqttClient.prototype.publish = function (this: MqttClient, ...a: Parameters<typeof publish>) {
    if (a[0] === "nodemcu/pc1/in") publishedBy.add(this);
    return publish.apply(this, a);
  };
  MqttClient.prototype.subscribe = function (this: MqttClient, ...a: Parameters<typeof subscribe>) {
    if (this !== echo) subscribedBy.add(this);
    return subscribe.apply(this, a);
  };
  const write = process.stdout.write;
  process.stdout.write = () => true;
  try {
    const code = await ping(plainContext("ping", broker, "pc1"), {
      device: "pc1",
      count: 3,
      intervalMs: 20,
      size: 32,
      timeoutS: 5,
    });
    assert.equal(code, 0, "every echo came back");
  } finally {
    process.stdout.write = write;
    Object.assign(MqttClient.prototype, { publish, subscribe });
    await echo.end();
  }
  assert.equal(publishedBy.size, 1);
  assert.equal(subscribedBy.size, 1);
  assert.notEqual([...publishedBy][0], [...subscribedBy][0]);
});
