// net's host half (lua/net.lua): each Lua socket is a host TCP connection; its events reach Lua
// through __E.net.
import { type Socket, connect as tcpConnect } from "node:net";
import { luaLiteral } from "../../lua/vm.ts";
import type { HostModule, LuaCall } from "../runtime.ts";

export class NetHost {
  private readonly sockets = new Map<number, Socket>();

  /** `online` tells whether the board has an IP (wifi). */
  constructor(
    private readonly call: LuaCall,
    private readonly online: () => boolean,
  ) {}

  readonly calls: HostModule = {
    connect: (a) => void this.connect(a.number(0), a.number(1), a.text(2)),
    send: (a) => void this.sockets.get(a.number(0))?.write(a.bytes(1), () => this.event(a.number(0), "sent")),
    close: (a) => void this.sockets.get(a.number(0))?.end(),
    getpeer: (a) => {
      const sk = this.sockets.get(a.number(0));
      return sk?.remotePort ? [sk.remotePort, sk.remoteAddress ?? null] : [null, null];
    },
  };

  /** Power cut: every TCP link dropped. */
  shutdown(): void {
    for (const sk of this.sockets.values()) sk.destroy();
    this.sockets.clear();
  }

  private event(id: number, event: string, ...rest: string[]): void {
    this.call(`__E.net(${id}, ${luaLiteral(event)}${rest.map((r) => ", " + r).join("")})`);
  }

  private connect(id: number, port: number, host: string): void {
    if (!this.online()) return void setTimeout(() => this.event(id, "reconnection", "-1"), 100);
    const sk = tcpConnect({ host, port });
    this.sockets.set(id, sk);
    sk.on("connect", () => this.event(id, "connection"));
    sk.on("data", (d: Buffer) => this.event(id, "receive", luaLiteral(d)));
    sk.on("error", () => {});
    sk.on("close", (hadError) => {
      this.sockets.delete(id);
      this.event(id, hadError ? "reconnection" : "disconnection", hadError ? "-1" : "0");
    });
  }
}
