// wifi's host half (lua/wifi.lua): the station joining a simulated access point, with the
// wifi.eventmon events it raises through __E.wifi.
import { luaLiteral } from "../../lua/vm.ts";
import type { HostModule, LuaCall } from "../runtime.ts";

export interface AccessPoint {
  ssid: string;
  psk: string;
  /** The address DHCP hands the board. */
  ip: string;
}

// wifi.eventmon codes and SDK reasons (docs/modules/wifi.md; SDK user_interface.h).
const STA_CONNECTED = 0;
const STA_DISCONNECTED = 1;
const STA_GOT_IP = 3;
// A wrong passphrase fails the WPA2 handshake; the SDK reports it as 4WAY_HANDSHAKE_TIMEOUT (15).
const REASON_WRONG_PASSWORD = 15;
const REASON_NO_AP_FOUND = 201;
const REASON_BEACON_TIMEOUT = 200;
const STATUS = { idle: 0, connecting: 1, wrongPassword: 2, noAp: 3, gotIp: 5 };
/** How long joining and DHCP take on the simulated network. */
const JOIN_MS = 40;
const DHCP_MS = 60;
/** The SDK keeps retrying a failed join. */
const RETRY_MS = 1000;

function table(fields: Record<string, string | number>): string {
  return (
    "{" +
    Object.entries(fields)
      .map(([k, v]) => `${k}=${typeof v === "number" ? v : luaLiteral(v)}`)
      .join(",") +
    "}"
  );
}

export class WifiHost {
  private status = STATUS.idle;
  private want: { ssid: string; pwd: string } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private radioUp = true;
  private radioTimer: NodeJS.Timeout | undefined;

  /** `linkLost` runs when the board loses the IP it had, before the disconnect event is queued. */
  constructor(
    private readonly call: LuaCall,
    private readonly ap: AccessPoint,
    private readonly linkLost: () => void,
  ) {}

  readonly calls: HostModule = {
    connect: (a) => {
      this.want = { ssid: a.text(0), pwd: a.text(1) };
      this.join();
    },
    disconnect: () => {
      clearTimeout(this.timer);
      this.status = STATUS.idle;
    },
    ip: () => this.ip ?? null,
    status: () => this.status,
  };

  /** The board's address while it has one. */
  get ip(): string | undefined {
    return this.status === STATUS.gotIp ? this.ap.ip : undefined;
  }

  /** Radio off: no more events. */
  shutdown(): void {
    clearTimeout(this.timer);
    clearTimeout(this.radioTimer);
    this.status = STATUS.idle;
  }

  /** The access point disappears for `ms` (until restore() without it), then comes back. */
  drop(ms?: number): void {
    this.radioUp = false;
    const ssid = this.want?.ssid ?? this.ap.ssid;
    this.lose(ssid, REASON_BEACON_TIMEOUT);
    clearTimeout(this.radioTimer);
    if (ms !== undefined) this.radioTimer = setTimeout(() => this.restore(), ms);
  }

  /** The access point is back; the station rejoins. */
  restore(): void {
    clearTimeout(this.radioTimer);
    if (this.radioUp) return;
    this.radioUp = true;
    if (this.want) this.join();
  }

  private lose(ssid: string, reason: number): void {
    clearTimeout(this.timer);
    const hadLink = this.status === STATUS.gotIp;
    this.status = reason === REASON_WRONG_PASSWORD ? STATUS.wrongPassword : reason === REASON_NO_AP_FOUND ? STATUS.noAp : STATUS.connecting;
    if (hadLink) this.linkLost();
    this.event(STA_DISCONNECTED, { SSID: ssid, BSSID: "00:00:00:00:00:00", reason });
  }

  private event(ev: number, t: Record<string, string | number>): void {
    this.call(`__E.wifi(${ev}, ${table(t)})`);
  }

  private join(): void {
    clearTimeout(this.timer);
    const want = this.want;
    if (!want) return;
    this.status = STATUS.connecting;
    this.timer = setTimeout(() => {
      if (!this.radioUp || want.ssid !== this.ap.ssid) return this.failJoin(want.ssid, REASON_NO_AP_FOUND);
      if (want.pwd !== this.ap.psk) return this.failJoin(want.ssid, REASON_WRONG_PASSWORD);
      this.event(STA_CONNECTED, { SSID: want.ssid, BSSID: "5c:cf:7f:00:00:01", channel: 6 });
      this.timer = setTimeout(() => {
        this.status = STATUS.gotIp;
        this.event(STA_GOT_IP, { IP: this.ap.ip, netmask: "255.255.255.0", gateway: this.ap.ip.replace(/\d+$/, "1") });
      }, DHCP_MS);
    }, JOIN_MS);
  }

  private failJoin(ssid: string, reason: number): void {
    this.lose(ssid, reason);
    this.timer = setTimeout(() => this.join(), RETRY_MS);
  }
}
