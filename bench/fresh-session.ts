// A fresh board for each benchmark run: its persistent session (client id = device id) cleared on
// the broker. A board powered off mid-echo leaves QoS 1 messages unacknowledged in it, which the
// broker resends behind the next CONNACK, where NodeMCU drops them unacknowledged again
// (docs/reliability.md): run after run they would fill the broker's in-flight window and the board
// would get nothing.
import { MqttClient } from "../host/mqtt/index.ts";

/** Connects as `clientId` with a clean session, which discards the broker's copy, and leaves. */
export async function clearSession(broker: { host: string; port: number }, clientId: string): Promise<void> {
  const wipe = new MqttClient({ host: broker.host, port: broker.port, clientId, clean: true });
  await wipe.connect();
  await wipe.end();
}
