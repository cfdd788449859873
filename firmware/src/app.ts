// The echo app: every message that arrives on the device's `in` topic goes back on its `out`
// topic, byte for byte. The session (Wi-Fi, MQTT, status, will, floods) is session.ts's.

import { start } from "./session";

start((data) => data ?? "");
