// Real brokers for tests: Mosquitto spawned on a free port with its own config (and optional
// password file, TLS listener, persistence), or aedes in-process.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmbeddedBroker } from "../../tools/demo/broker.ts";
import { waitFor } from "./wait.ts";

export interface Broker {
  url: string;
  host: string;
  port: number;
  tlsPort?: number;
  /** CA that signed the TLS listener's certificate. */
  caFile?: string;
  /** A CA that did not sign it (for wrong-CA tests). */
  otherCaFile?: string;
  stop(): Promise<void>;
  /** SIGKILL: no clean shutdown. */
  kill(): Promise<void>;
  /** Stops (SIGTERM by default; SIGKILL for a crash) and starts again on the same ports with the same config and persistence. */
  restart(signal?: NodeJS.Signals): Promise<void>;
}

export interface MosquittoOptions {
  users?: Record<string, string>;
  tls?: boolean;
  persistence?: boolean;
  allowAnonymous?: boolean;
  /**
   * `set_tcp_nodelay true`, as a tuned deployment has it. Off by default: tests run on Mosquitto's
   * own defaults, as a user's stock broker is; only a test about the tuned broker sets it.
   */
  tcpNoDelay?: boolean;
  /**
   * A bridge to another broker on this host: `topics` (patterns) go both ways at QoS 1. The bridge
   * retries every second, so it is back soon after the other broker returns.
   */
  bridgeTo?: { port: number; topics: string[] };
}

const live = new Set<ChildProcess>();
process.on("exit", () => {
  for (const p of live) p.kill("SIGKILL");
});

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

function mosquittoBinary(): string {
  for (const p of ["/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto"])
    if (existsSync(p)) return p;
  return "mosquitto";
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: "127.0.0.1", port });
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });
}

async function waitForPort(port: number, what: string, logFile: string): Promise<void> {
  if (await waitFor(() => canConnect(port), 5000)) return;
  const log = existsSync(logFile) ? readFileSync(logFile, "utf8") : "(no log)";
  throw new Error(`${what} did not start listening on port ${port} within 5 s; its log:\n${log}`);
}

function makeCa(dir: string, name: string): void {
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "2",
      "-subj",
      `/CN=${name}`,
      "-keyout",
      join(dir, `${name}.key`),
      "-out",
      join(dir, `${name}.crt`),
    ],
    { stdio: "ignore" },
  );
}

function makeServerCert(dir: string): void {
  const ext = join(dir, "san.ext");
  writeFileSync(ext, "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
  execFileSync(
    "openssl",
    [
      "req",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-subj",
      "/CN=localhost",
      "-keyout",
      join(dir, "server.key"),
      "-out",
      join(dir, "server.csr"),
    ],
    { stdio: "ignore" },
  );
  execFileSync(
    "openssl",
    [
      "x509",
      "-req",
      "-in",
      join(dir, "server.csr"),
      "-CA",
      join(dir, "ca.crt"),
      "-CAkey",
      join(dir, "ca.key"),
      "-CAcreateserial",
      "-days",
      "2",
      "-extfile",
      ext,
      "-out",
      join(dir, "server.crt"),
    ],
    { stdio: "ignore" },
  );
}

export async function startMosquitto(opts: MosquittoOptions = {}): Promise<Broker> {
  const dir = mkdtempSync(join(tmpdir(), "mcu-mosq-"));
  const port = await freePort();
  const tlsPort = opts.tls ? await freePort() : undefined;
  const logFile = join(dir, "mosquitto.log");
  const conf = [
    // Run as root, mosquitto drops to the "mosquitto" user, which cannot read this private temp dir.
    ...(process.getuid?.() === 0 ? ["user root"] : []),
    "per_listener_settings false",
    ...(opts.tcpNoDelay ? ["set_tcp_nodelay true"] : []),
    `allow_anonymous ${opts.allowAnonymous ?? !opts.users}`,
    `log_dest file ${logFile}`,
    "log_type error",
    "log_type warning",
    "log_type notice",
    `listener ${port} 127.0.0.1`,
  ];
  if (opts.users) {
    const pw = join(dir, "passwd");
    writeFileSync(pw, "");
    for (const [user, pass] of Object.entries(opts.users))
      execFileSync("mosquitto_passwd", ["-b", pw, user, pass], { stdio: "ignore" });
    conf.push(`password_file ${pw}`);
  }
  if (opts.persistence) conf.push("persistence true", `persistence_location ${dir}/`, "autosave_interval 1");
  if (opts.bridgeTo) {
    conf.push(
      "connection bridge",
      `address 127.0.0.1:${opts.bridgeTo.port}`,
      ...opts.bridgeTo.topics.map((t) => `topic ${t} both 1`),
      "restart_timeout 1",
      "keepalive_interval 5",
      "cleansession true",
      "notifications false",
    );
  }
  if (tlsPort) {
    makeCa(dir, "ca");
    makeCa(dir, "other-ca");
    makeServerCert(dir);
    conf.push(
      `listener ${tlsPort} 127.0.0.1`,
      `cafile ${join(dir, "ca.crt")}`,
      `certfile ${join(dir, "server.crt")}`,
      `keyfile ${join(dir, "server.key")}`,
    );
  }
  const confFile = join(dir, "mosquitto.conf");
  writeFileSync(confFile, conf.join("\n") + "\n");

  let proc: ChildProcess | undefined;
  const launch = async () => {
    const p = spawn(mosquittoBinary(), ["-c", confFile], { stdio: "ignore" });
    live.add(p);
    p.once("exit", () => live.delete(p));
    proc = p;
    await waitForPort(port, "mosquitto", logFile);
    if (tlsPort) await waitForPort(tlsPort, "mosquitto (TLS)", logFile);
  };
  const halt = (signal: NodeJS.Signals) =>
    new Promise<void>((resolve) => {
      const p = proc;
      if (!p || p.exitCode !== null || p.signalCode !== null) return resolve();
      p.once("exit", () => resolve());
      p.kill(signal);
    });
  await launch();
  return {
    url: `mqtt://127.0.0.1:${port}`,
    host: "127.0.0.1",
    port,
    tlsPort,
    caFile: tlsPort ? join(dir, "ca.crt") : undefined,
    otherCaFile: tlsPort ? join(dir, "other-ca.crt") : undefined,
    stop: async () => {
      await halt("SIGTERM");
      rmSync(dir, { recursive: true, force: true });
    },
    kill: () => halt("SIGKILL"),
    restart: async (signal: NodeJS.Signals = "SIGTERM") => {
      await halt(signal);
      await launch();
    },
  };
}

/** aedes in-process (the embedded broker) on a free port; `users` turns on authentication. */
export async function startAedes(opts: { users?: Record<string, string> } = {}): Promise<Broker> {
  let broker = await startEmbeddedBroker(opts);
  const { port } = broker;
  const halt = () => broker.close();
  const restart = async () => {
    await halt();
    broker = await startEmbeddedBroker({ ...opts, port });
  };
  return { url: broker.url, host: broker.host, port, stop: halt, kill: halt, restart };
}
