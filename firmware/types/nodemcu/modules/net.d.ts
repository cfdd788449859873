// net: TCP and UDP sockets (TLS lives in the tls module in 3.x).
/** @noSelf */
declare namespace net {
  /** A TCP client socket. */
  function createConnection(): net.Socket;
  /** A TCP server closing idle clients after timeout seconds. */
  function createServer(timeout?: number): net.Server;
  /** TCP. */
  const TCP: number;
  /** UDP. */
  const UDP: number;

  /** Name lookups. */
  namespace dns {
    /** Resolves a host name; ip is nil when it fails. */
    function resolve(host: string, cb: (this: void, sk: unknown, ip: string | undefined) => void): void;
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
  }

  /** A TCP server; its methods are called with `:`. */
  interface Server {
    /** Listens on a port and calls fn for each client. */
    listen(port: number, fn: (this: void, sk: Socket) => void): void;
    listen(port: number, ip: string, fn: (this: void, sk: Socket) => void): void;
    /** Stops listening. */
    close(): void;
  }
}
