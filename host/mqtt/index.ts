// The host's MQTT client core, used by the CLI verbs, OTA and the demo. The emulated board speaks
// MQTT through its own mqtt module (tools/emulator), as NodeMCU's C does.
export { type ClientOptions, type Message, MqttClient, type QoS, type Will } from "./client.ts";
export { MqttError, type MqttErrorCode } from "./errors.ts";
