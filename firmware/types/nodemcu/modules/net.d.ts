// net: TCP and UDP sockets (TLS lives in the tls module in 3.x).
/** @noSelf */
declare namespace net {
  /** A TCP client socket. */
  function createConnection(): net.Socket;
  /** A TCP server closing idle clients after timeout seconds. */
  function createServer(timeout?: number): net.Server;
  /** A UDP socket. */
  function createUDPSocket(): net.UdpSocket;
  /** Interface 0 (station) or 1 (access point): addresses and DHCP details, or nil if there is no such interface. */
  function ifinfo(if_index: 0 | 1):
    | {
        ip?: string;
        netmask?: string;
        gateway?: string;
        dhcp?: { server_ip: string; client_ip: string; ntp_server: string };
      }
    | undefined;
  /** Joins a multicast group on an interface IP ("any" or "" for all). */
  function multicastJoin(if_ip: string, multicast_ip: string): void;
  /** Leaves a multicast group. */
  function multicastLeave(if_ip: string, multicast_ip: string): void;
  /** Pings a host count times (default 4), when the firmware was built with NET_PING_ENABLE; bytes 0 means no reply. */
  function ping(
    domain: string,
    count: number,
    received: (this: void, bytes: number, ipaddr: string, seqno: number, rtt: number) => void,
    sent?: (
      this: void,
      ipaddr: string,
      total_count: number,
      timeout_count: number,
      total_bytes: number,
      total_time: number,
    ) => void,
  ): void;
  function ping(
    domain: string,
    received: (this: void, bytes: number, ipaddr: string, seqno: number, rtt: number) => void,
    sent?: (
      this: void,
      ipaddr: string,
      total_count: number,
      timeout_count: number,
      total_bytes: number,
      total_time: number,
    ) => void,
  ): void;
  /** TCP. */
  const TCP: number;
  /** UDP. */
  const UDP: number;

  /** Name lookups. */
  namespace dns {
    /** Resolves a host name; ip is nil when it fails. */
    function resolve(host: string, cb: (this: void, sk: unknown, ip: string | undefined) => void): void;
    /** DNS server 0 or 1. */
    function getdnsserver(dns_index: 0 | 1): string;
    /** Sets DNS server 0 or 1. */
    function setdnsserver(dns_ip_addr: string, dns_index: 0 | 1): void;
  }

  /** A TCP socket; its methods are called with `:`. */
  interface Socket {
    /** Connects to host:port. */
    connect(port: number, host: string): void;
    /** Sends data; chain further sends from the "sent" callback. */
    send(data: string, cb?: (this: void, sk: Socket) => void): void;
    /** Data received. */
    on(event: "receive", fn: (this: void, sk: Socket, data: string) => void): void;
    /** Connected, or all queued data sent. */
    on(event: "connection" | "sent", fn: (this: void, sk: Socket) => void): void;
    /** Closed or failed, with an error code. */
    on(event: "disconnection" | "reconnection", fn: (this: void, sk: Socket, err?: number) => void): void;
    /** Closes the socket. */
    close(): void;
    /** The peer's port and IP. */
    getpeer(): LuaMultiReturn<[number, string] | [undefined, undefined]>;
    /** Our port and IP. */
    getaddr(): LuaMultiReturn<[number, string] | [undefined, undefined]>;
    /** Stops receiving until unhold. */
    hold(): void;
    /** Resumes receiving. */
    unhold(): void;
    /** Resolves a name; the callback replaces the "dns" one. */
    dns(domain: string, fn: (this: void, sk: Socket, ip: string | undefined) => void): void;
    /** The time-to-live, after setting it if given. */
    ttl(ttl?: number): number;
  }

  /** A UDP socket; its methods are called with `:`. */
  interface UdpSocket {
    /** Binds to a port (random if omitted) and IP. */
    listen(port?: number, ip?: string): void;
    /** Sends a datagram. */
    send(port: number, ip: string, data: string): void;
    /** A datagram arrived: data, then the sender's port and IP. */
    on(
      event: "receive",
      fn: ((this: void, s: UdpSocket, data: string, port: number, ip: string) => void) | undefined,
    ): void;
    /** A datagram went out. */
    on(event: "sent", fn: ((this: void, s: UdpSocket) => void) | undefined): void;
    /** A name was resolved. */
    on(event: "dns", fn: ((this: void, s: UdpSocket, ip: string | undefined) => void) | undefined): void;
    /** Resolves a name. */
    dns(domain: string, fn: (this: void, s: UdpSocket, ip: string | undefined) => void): void;
    /** Our port and IP. */
    getaddr(): LuaMultiReturn<[number, string] | [undefined, undefined]>;
    /** The time-to-live, after setting it if given. */
    ttl(ttl?: number): number;
    /** Closes the socket. */
    close(): void;
  }

  /** A TCP server; its methods are called with `:`. */
  interface Server {
    /** Listens on a port and calls fn for each client. */
    listen(fn: (this: void, sk: Socket) => void): void;
    listen(port: number, fn: (this: void, sk: Socket) => void): void;
    listen(port: number, ip: string, fn: (this: void, sk: Socket) => void): void;
    /** Stops listening. */
    close(): void;
    /** The port and IP listened on, or nil, nil. */
    getaddr(): LuaMultiReturn<[number, string] | [undefined, undefined]>;
  }
}
