// net's host half (net.lua): each Lua socket is a host socket (TCP client, TCP server or UDP)
// and its events reach Lua through __E.net and __E.accept. A board's listening ports are host
// ports picked by the system, found with hostPort().
import { createSocket, type Socket as UdpSocket } from "node:dgram";
import { lookup } from "node:dns";
import { createServer, isIPv4, type Server, type Socket, connect as tcpConnect } from "node:net";
import { luaLiteral } from "../../../lua/vm.ts";
import type { HostFactory, HostModule, LuaCall } from "../../runtime/host-half.ts";

/** Ids of sockets a server accepted, apart from the ones Lua numbers. */
const ACCEPTED_IDS = 1_000_000;
/** How long a lookup takes to fail while the board has no network. */
const DNS_OFFLINE_MS = 100;

interface Listener {
  kind: "tcp" | "udp";
  boardPort: number;
  ip: string;
  server?: Server;
  udp?: UdpSocket;
}

export class NetHost {
  private readonly sockets = new Map<number, Socket>();
  private readonly listeners = new Map<number, Listener>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private nextAccepted = ACCEPTED_IDS;

  /** `online` tells whether the board has an IP (wifi), and `ip` which. */
  constructor(
    private readonly call: LuaCall,
    private readonly online: () => boolean,
    private readonly ip: () => string | undefined = () => undefined,
  ) {}

  readonly calls: HostModule = {
    connect: (a) => void this.connect(a.number(0), a.number(1), a.text(2)),
    send: (a) => void this.sockets.get(a.number(0))?.write(a.bytes(1), () => this.event(a.number(0), "sent")),
    close: (a) => void this.close(a.number(0)),
    getpeer: (a) => {
      const sk = this.sockets.get(a.number(0));
      return sk?.remotePort ? [sk.remotePort, sk.remoteAddress ?? null] : [null, null];
    },
    getaddr: (a) => this.getaddr(a.number(0)),
    listen: (a) => this.listen(a.number(0), a.text(1) as "tcp" | "udp", a.number(2), a.text(3)),
    sendto: (a) => void this.listeners.get(a.number(0))?.udp?.send(a.bytes(3), a.number(1), a.text(2)),
    resolve: (a) => this.resolve(a.number(0), a.text(1)),
  };

  /** The host port behind a board's listening TCP or UDP port, once it is bound. */
  hostPort(kind: "tcp" | "udp", boardPort: number): number | undefined {
    for (const l of this.listeners.values()) {
      if (l.kind !== kind || l.boardPort !== boardPort) continue;
      const addr = l.server?.address() ?? (l.udp ? safeAddress(l.udp) : null);
      if (addr && typeof addr === "object") return addr.port;
    }
    return undefined;
  }

  /** Power cut: every link and listener dropped. */
  shutdown(): void {
    for (const sk of this.sockets.values()) sk.destroy();
    this.sockets.clear();
    for (const l of this.listeners.values()) this.unlisten(l);
    this.listeners.clear();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private event(id: number, event: string, ...rest: string[]): void {
    this.call(`__E.net(${id}, ${luaLiteral(event)}${rest.map((r) => ", " + r).join("")})`);
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  private connect(id: number, port: number, host: string): void {
    if (!this.online()) return this.later(100, () => this.event(id, "reconnection", "-1"));
    const sk = tcpConnect({ host, port });
    sk.on("connect", () => this.event(id, "connection"));
    this.wire(id, sk);
  }

  /** A TCP link's data and end, reported to Lua. */
  private wire(id: number, sk: Socket): void {
    this.sockets.set(id, sk);
    sk.on("data", (d: Buffer) => this.event(id, "receive", luaLiteral(d)));
    sk.on("error", () => {});
    sk.on("close", (hadError) => {
      this.sockets.delete(id);
      this.event(id, hadError ? "reconnection" : "disconnection", hadError ? "-1" : "0");
    });
  }

  private close(id: number): void {
    this.sockets.get(id)?.end();
    const l = this.listeners.get(id);
    if (l) this.unlisten(l);
    this.listeners.delete(id);
  }

  private unlisten(l: Listener): void {
    l.server?.close();
    l.udp?.close();
  }

  /** Binds a board port; answers lwIP's "address in use" (net.c:89) when this board has it already. */
  private listen(id: number, kind: "tcp" | "udp", port: number, ip: string): string | null {
    if (port !== 0 && [...this.listeners.values()].some((l) => l.kind === kind && l.boardPort === port))
      return "address in use";
    const l: Listener = { kind, boardPort: port, ip };
    if (kind === "tcp") {
      l.server = createServer((sk) => this.accept(id, sk));
      l.server.on("error", () => {});
      l.server.listen(0, "127.0.0.1");
    } else {
      l.udp = createSocket("udp4");
      l.udp.on("error", () => {});
      l.udp.on("message", (msg, rinfo) =>
        this.event(id, "receive", luaLiteral(msg), String(rinfo.port), luaLiteral(rinfo.address)),
      );
      l.udp.bind(0, "127.0.0.1", () => {
        if (l.boardPort === 0) l.boardPort = l.udp!.address().port;
      });
    }
    this.listeners.set(id, l);
    return null;
  }

  private accept(server: number, sk: Socket): void {
    if (!this.online()) return void sk.destroy();
    const id = this.nextAccepted++;
    this.wire(id, sk);
    this.call(`__E.accept(${server}, ${id})`);
  }

  private getaddr(id: number): [number | null, string | null] {
    const l = this.listeners.get(id);
    if (l) return l.boardPort ? [l.boardPort, l.ip] : [null, null];
    const sk = this.sockets.get(id);
    return sk?.localPort ? [sk.localPort, this.ip() ?? null] : [null, null];
  }

  /** An IPv4 address answers at once; a name after the lookup (nil when it fails or the board is offline). */
  private resolve(id: number, name: string): string | null {
    if (isIPv4(name)) return name;
    if (!this.online()) {
      this.later(DNS_OFFLINE_MS, () => this.event(id, "dns", "nil"));
      return null;
    }
    lookup(name, { family: 4 }, (err, address) => this.event(id, "dns", err ? "nil" : luaLiteral(address)));
    return null;
  }
}

function safeAddress(udp: UdpSocket): { port: number } | null {
  try {
    return udp.address();
  } catch {
    return null;
  }
}

export const netHost: HostFactory = (board) => {
  const wifi = () => board.host("wifi");
  return new NetHost(
    board.call,
    () => wifi().ip !== undefined,
    () => wifi().ip,
  );
};

declare module "../../runtime/host-half.ts" {
  interface HostHalves {
    net: NetHost;
  }
}
