// boot(): the user's firmware on an emulated board, on a broker, for a test. The board's NodeMCU
// build is the README's plus what the build needs (manifest.json); the broker is the embedded one
// unless the test names one; the board is online when boot() resolves, and is stopped by itself
// after the file's tests (node:test's `after`), or sooner by stop() or `await using`.
import { AsyncResource } from "node:async_hooks";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { after } from "node:test";
import { defaultId } from "../../firmware/src/contract.ts";
import { brokerUrl } from "../../host/cli/broker-url.ts";
import { type EmbeddedBroker, startEmbeddedBroker } from "../demo/broker.ts";
import { emulatedBuild } from "../nodemcu/builds.ts";
import { type EmulatedBoard, type EmulatedBoardOptions, emulatedBoard } from "./board.ts";
import { linkTo, type Status } from "./device.ts";
import { buildForTest, existingFirmware, isBuildFolder, type TestFirmware } from "./firmware.ts";
import type { Match } from "./wait.ts";

export interface BootOptions extends Omit<EmulatedBoardOptions, "build" | "files" | "flashDir" | "off"> {
  /**
   * The firmware: an app folder (mcu new; built now, for this board and broker), a build folder
   * (mcu build's output, as it is), or by default the toolkit's echo.
   */
  app?: string;
  /** A broker ("mqtt://host:port") instead of the embedded one the kit starts. */
  broker?: string;
  /** How long the board may take to come online, at boot and after powerCycle (default 30 s). */
  timeoutMs?: number;
}

export interface TestBoard extends Omit<EmulatedBoard, "flashDir" | "text" | "powerCycle" | "stop"> {
  /** The device id and the version of the firmware it runs. */
  readonly id: string;
  readonly version: string;
  /** The NodeMCU build's modules the board has. */
  readonly modules: readonly string[];
  /** The device's topics (firmware/src/contract.ts). */
  readonly topics: { in: string; out: string; status: string };
  /** The broker the board is on. */
  readonly broker: { host: string; port: number; url: string };
  /** Publishes `message` on the device's `in` topic. */
  publish(message: string | Buffer): Promise<void>;
  /** Waits for a message on the device's `out` topic after the one the last expect matched; resolves with it. */
  expect(match: Match, timeoutMs?: number): Promise<string>;
  /** Every message on the device's `out` topic so far (UTF-8). */
  messages(): string[];
  /**
   * Asks the board for its status (a message over its limit makes the session publish it, and is
   * counted in `overflows`), again every half second until one satisfies `match`.
   */
  status(match?: (status: Status) => boolean, timeoutMs?: number): Promise<Status>;
  /** Power off and on again, then wait until the board is back online. */
  powerCycle(): Promise<void>;
  /** Powers the board off, disconnects, stops the broker the kit started, removes the build. */
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * The context the kit was loaded in: the test file's, outside any test. node:test attaches `after`
 * to the test or hook that calls it, so a board booted in a `before` hook would stop as that hook
 * ends; registered from here, every board stops after the file's tests.
 */
const fileScope = new AsyncResource("mcu-test-kit");

const ONLINE_WAIT_MS = 30_000;
const MESSAGE_WAIT_MS = 10_000;

type Broker = Pick<EmbeddedBroker, "host" | "port" | "url">;

/** Boots the firmware on an emulated board and waits until it is online. */
export async function boot(opts: BootOptions = {}): Promise<TestBoard> {
  const undo: (() => unknown)[] = [];
  const stop = async () => {
    for (const step of undo.splice(0).reverse()) await step();
  };
  fileScope.runInAsyncScope(() => after(stop));
  try {
    return await booted(opts, undo, stop);
  } catch (err) {
    await stop();
    throw err;
  }
}

async function booted(opts: BootOptions, undo: (() => unknown)[], stop: () => Promise<void>): Promise<TestBoard> {
  const { fw, broker } = await firmwareOnBroker(opts, undo);
  const modules = opts.modules ?? emulatedBuild(fw.build.needs.modules).modules;
  const board = { ssid: fw.wifi.ssid, psk: fw.wifi.password, ...opts.board };
  const core = emulatedBoard({ ...opts, modules, build: fw.build, board, off: true });
  undo.push(() => core.stop());
  const id = fw.id ?? defaultId(core.board.chipId.toString(16).padStart(6, "0"));
  // Listening before the board is on, so its first status is seen.
  const link = await linkTo(broker, { prefix: fw.prefix, id, maxMessageLength: fw.maxMessageLength });
  undo.push(() => link.close());
  const timeoutMs = opts.timeoutMs ?? ONLINE_WAIT_MS;
  const powerCycle = async () => {
    const mark = link.mark();
    core.powerCycle();
    await link.online(mark, timeoutMs, core.console);
  };
  await powerCycle();
  return {
    ...core,
    id,
    version: fw.build.version,
    modules,
    topics: link.topics,
    broker,
    publish: link.publish,
    messages: link.messages,
    expect: (match, ms = MESSAGE_WAIT_MS) => link.expect(match, ms),
    status: (match = () => true, ms = MESSAGE_WAIT_MS) => link.status(match, ms),
    powerCycle,
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

/** The firmware and the broker it is on: built for the test's broker, or a build's own broker. */
async function firmwareOnBroker(
  opts: BootOptions,
  undo: (() => unknown)[],
): Promise<{ fw: TestFirmware; broker: Broker }> {
  const given = opts.broker === undefined ? undefined : plainBroker(opts.broker);
  if (opts.app !== undefined && isBuildFolder(opts.app)) {
    const fw = existingFirmware(opts.app);
    if (given) return { fw, broker: given };
    if (fw.broker.host !== "127.0.0.1")
      throw new Error(
        `${opts.app} was built for the broker at ${fw.broker.host}:${fw.broker.port}: give boot() that broker ({ broker: "mqtt://…" }), or build it for 127.0.0.1`,
      );
    return { fw, broker: await embedded(undo, fw.broker.port) };
  }
  if (opts.app !== undefined && !existsSync(join(opts.app, "src", "app.ts")))
    throw new Error(
      `${opts.app}: neither an app folder (src/app.ts) nor a build folder (manifest.json); give the folder mcu new made, or the one mcu build wrote`,
    );
  const broker = given ?? (await embedded(undo));
  const fw = await buildForTest(opts.app, broker);
  undo.push(() => fw.remove());
  return { fw, broker };
}

async function embedded(undo: (() => unknown)[], port?: number): Promise<Broker> {
  const broker = await startEmbeddedBroker({ port });
  undo.push(() => broker.close());
  return broker;
}

function plainBroker(url: string): Broker {
  const b = brokerUrl(url);
  if (b.tls) throw new Error(`broker "${url}": give mqtt://host:port; the test board's build has no TLS`);
  return { host: b.host, port: b.port, url };
}
