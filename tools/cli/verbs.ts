// The `mcu` verbs, one line each; a verb's code is loaded only when it runs.
import type { Verb } from "../../host/kit/index.ts";

export const verbs: Record<string, Verb> = {
  serve: {
    summary: "print messages from a device (or any topic); --echo plays the board",
    load: () => import("../../host/cli/serve.ts"),
  },
  send: {
    summary: "publish a message to a device (or any topic); --wait shows the echo",
    load: () => import("../../host/cli/send.ts"),
  },
  ping: {
    summary: "time round trips through a device's echo, like ping(8)",
    load: () => import("../../host/cli/ping.ts"),
  },
  devices: { summary: "list every device's retained status", load: () => import("../../host/cli/devices.ts") },
  emulate: {
    summary: "boot an emulated NodeMCU board (console on this terminal or a pty)",
    load: () => import("../emulator/front/verb.ts"),
  },
  flash: {
    summary: "build, upload what changed over serial, restart the board (./flash.sh)",
    load: () => import("../serial/flash.ts"),
  },
  monitor: {
    summary: "show the board's serial console and type to its REPL (Ctrl-] quits)",
    load: () => import("../serial/monitor.ts"),
  },
  upload: {
    summary: "write files to the board's flash, verified",
    load: () => import("../serial/board-verbs.ts").then((m) => m.upload),
  },
  ls: {
    summary: "list the files on the board's flash and the free space",
    load: () => import("../serial/board-verbs.ts").then((m) => m.ls),
  },
  rm: {
    summary: "remove files from the board's flash",
    load: () => import("../serial/board-verbs.ts").then((m) => m.rm),
  },
  cat: {
    summary: "print a file from the board's flash, byte for byte",
    load: () => import("../serial/board-verbs.ts").then((m) => m.cat),
  },
  run: {
    summary: "run a file on the board (dofile) and show its output",
    load: () => import("../serial/board-verbs.ts").then((m) => m.runFile),
  },
  reset: {
    summary: "restart the board (RTS/DTR pulse, or node.restart())",
    load: () => import("../serial/board-verbs.ts").then((m) => m.reset),
  },
  demo: {
    summary: "the whole loop on this PC: build, embedded broker, emulated board, flash, echoes",
    load: () => import("../demo/demo.ts"),
  },
  build: { summary: "compile the firmware to Lua for the board", load: () => import("../compiler/verb.ts") },
  ota: {
    summary: "update boards over MQTT with a build: only changed files, verified, rolled back if not online",
    load: () => import("../ota/verb.ts"),
  },
  test: {
    summary: "build an app folder and run its own tests on emulated boards (test/**/*.test.ts)",
    load: () => import("../testing/verb.ts"),
  },
  new: {
    summary: "make a firmware project of your own (src/app.ts, device.json, npm scripts)",
    load: () => import("./new.ts"),
  },
};
