// The `mcu` verbs, one line each; a verb's code is loaded only when it runs.

export interface VerbModule {
  usage: string;
  run(argv: string[]): Promise<number>;
}

export interface Verb {
  summary: string;
  load(): Promise<VerbModule>;
}

export const verbs: Record<string, Verb> = {
  serve: { summary: "print messages from a device (or any topic); --echo plays the board", load: () => import("../../host/cli/serve.ts") },
  send: { summary: "publish a message to a device (or any topic); --wait shows the echo", load: () => import("../../host/cli/send.ts") },
  ping: { summary: "time round trips through a device's echo, like ping(8)", load: () => import("../../host/cli/ping.ts") },
  devices: { summary: "list every device's retained status", load: () => import("../../host/cli/devices.ts") },
  emulate: { summary: "boot an emulated NodeMCU board (console on this terminal or a pty)", load: () => import("../emulator/verb.ts") },
  build: { summary: "compile the firmware to Lua for the board", load: () => import("../build/verb.ts") },
};
