// tls: TLS client sockets (mbedTLS; the firmware must be built with TLS).
/** @noSelf */
declare namespace tls {
  /** A new TLS client socket. */
  function createConnection(): tls.Socket;
  /** Sets mbedTLS's debug level, when the firmware was built with mbedTLS debugging. */
  function setDebug(level: number): void;

  /** Certificates for the next connections. */
  namespace cert {
    /** Turns server verification on/off, sets CA certificates (PEM), or a callback giving the k-th CA (nil when done); true if it worked. */
    function verify(enable: boolean): boolean;
    function verify(...pemdata: string[]): boolean;
    function verify(callback: (this: void, k: number) => string | undefined): boolean;
    /** Turns the client certificate on/off, sets it and its key (PEM), or a callback (0: the key, k: the k-th certificate); true if it worked. */
    function auth(enable: boolean): boolean;
    function auth(certificate: string, key: string): boolean;
    function auth(callback: (this: void, k: number) => string | undefined): boolean;
  }

  /** A TLS socket; its methods are called with `:`. */
  interface Socket {
    /** Connects to a host name or IP. */
    connect(port: number, host: string): void;
    /** Closes the connection. */
    close(): void;
    /** The peer's IP and port. */
    getpeer(): LuaMultiReturn<[string, number] | [undefined, undefined]>;
    /** Stops receiving until unhold(). */
    hold(): void;
    /** Resumes receiving. */
    unhold(): void;
    /** Sends data; send more from the "sent" callback. */
    send(data: string): void;
    /** Data received. */
    on(event: "receive", fn: (this: void, sk: Socket, data: string) => void): void;
    /** The name resolved (address, or nil on failure). */
    on(event: "dns", fn: (this: void, sk: Socket, address: string | undefined) => void): void;
    /** The connection failed or broke, with a reason. */
    on(event: "reconnection", fn: (this: void, sk: Socket, reason: string) => void): void;
    /** Connected, closed, or all data sent. */
    on(event: "connection" | "disconnection" | "sent", fn: (this: void, sk: Socket) => void): void;
  }
}
