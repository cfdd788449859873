// wifi's host half (wifi.lua): the station joining a simulated access point, with the
// wifi.eventmon events it raises through __E.wifi.
import { luaLiteral } from "../../../lua/vm.ts";
import type { HostFactory, HostModule, LuaCall } from "../../runtime/host-half.ts";

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
/** The station left on its own (wifi.sta.disconnect, a new config): REASON_ASSOC_LEAVE. */
const REASON_ASSOC_LEAVE = 8;
/** The simulated access point's radio: its BSSID, channel, and the signal the board hears. */
const AP_BSSID = "5c:cf:7f:00:00:01";
const AP_CHANNEL = 6;
const AP_RSSI = -52;
/** AUTH_OPEN without a passphrase, else AUTH_WPA2_PSK (wifi.c:1948-1952). */
const AUTH_OPEN = 0;
const AUTH_WPA2_PSK = 3;
/** A full scan: 13 channels at the 120 ms per channel wifi.c:1160 asks for. */
const SCAN_MS = 13 * 120;
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
  private readonly scans = new Set<NodeJS.Timeout>();
  /** Between the join and losing it (STA_CONNECTED to STA_DISCONNECTED). */
  private associated = false;

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
    disconnect: () => void this.leave(),
    ip: () => this.ip ?? null,
    status: () => this.status,
    channel: () => (this.associated ? AP_CHANNEL : 1),
    modechanged: (a) => void this.call(`__E.modechanged(${a.number(0)}, ${a.number(1)})`),
    scan: (a) => void this.scan(a.number(0)),
  };

  /** The board's address while it has one. */
  get ip(): string | undefined {
    return this.status === STATUS.gotIp ? this.ap.ip : undefined;
  }

  /** Radio off: no more events. */
  shutdown(): void {
    clearTimeout(this.timer);
    clearTimeout(this.radioTimer);
    for (const t of this.scans) clearTimeout(t);
    this.scans.clear();
    this.status = STATUS.idle;
    this.associated = false;
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

  /** The station stops: a joined one reports STA_DISCONNECTED with reason ASSOC_LEAVE, as the SDK does. */
  private leave(): void {
    clearTimeout(this.timer);
    const was = this.associated;
    const hadLink = this.status === STATUS.gotIp;
    this.status = STATUS.idle;
    this.associated = false;
    if (hadLink) this.linkLost();
    if (was) this.event(STA_DISCONNECTED, { SSID: this.want?.ssid ?? "", BSSID: AP_BSSID, reason: REASON_ASSOC_LEAVE });
  }

  /** The scan's answer after SCAN_MS: the access point if its radio is on, else nothing. */
  private scan(id: number): void {
    const t = setTimeout(() => {
      this.scans.delete(t);
      const auth = this.ap.psk === "" ? AUTH_OPEN : AUTH_WPA2_PSK;
      const found = this.radioUp
        ? `, ${luaLiteral(this.ap.ssid)}, ${luaLiteral(AP_BSSID)}, ${AP_CHANNEL}, ${AP_RSSI}, ${auth}`
        : "";
      this.call(`__E.scanned(${id}${found})`);
    }, SCAN_MS);
    this.scans.add(t);
  }

  private lose(ssid: string, reason: number): void {
    clearTimeout(this.timer);
    this.associated = false;
    const hadLink = this.status === STATUS.gotIp;
    this.status =
      reason === REASON_WRONG_PASSWORD
        ? STATUS.wrongPassword
        : reason === REASON_NO_AP_FOUND
          ? STATUS.noAp
          : STATUS.connecting;
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
      this.associated = true;
      this.event(STA_CONNECTED, { SSID: want.ssid, BSSID: AP_BSSID, channel: AP_CHANNEL });
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

// The board loses its TCP links with its IP.
export const wifiHost: HostFactory = (board) => {
  const o = board.options;
  const ap = { ssid: o.ssid ?? "emulated", psk: o.psk ?? "nodemcu-emulator", ip: o.ip ?? "192.168.4.2" };
  return new WifiHost(board.call, ap, () => board.host("mqtt").linkLost());
};

declare module "../../runtime/host-half.ts" {
  interface HostHalves {
    wifi: WifiHost;
  }
}
