// The host's MQTT client core: used by the CLI verbs and by the emulated board's mqtt module.
export { type ClientOptions, type Message, MqttClient, type QoS, type Will } from "./client.ts";
export { MqttError, type MqttErrorCode } from "./errors.ts";
