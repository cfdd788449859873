// mqtt: an MQTT 3.1.1 client (no auto-reconnect in 3.x; callbacks run unprotected).
/** @noSelf */
declare namespace mqtt {
  /** A client; username and password must be strings (use "") for later arguments to be read. */
  function Client(
    clientid: string,
    keepalive?: number,
    username?: string,
    password?: string,
    cleansession?: 0 | 1,
    maxMessageLength?: number,
  ): mqtt.Client;
  /** No broker listening at the address. */
  const CONN_FAIL_SERVER_NOT_FOUND: -5;
  /** The broker's first reply was not a CONNACK. */
  const CONN_FAIL_NOT_A_CONNACK_MSG: -4;
  /** The broker's name did not resolve. */
  const CONN_FAIL_DNS: -3;
  /** No CONNACK in time. */
  const CONN_FAIL_TIMEOUT_RECEIVING: -2;
  /** CONNECT could not be sent in time. */
  const CONN_FAIL_TIMEOUT_SENDING: -1;
  /** Accepted (never given to the fail callback). */
  const CONNACK_ACCEPTED: 0;
  /** The broker refused the protocol version. */
  const CONNACK_REFUSED_PROTOCOL_VER: 1;
  /** The broker refused the client id. */
  const CONNACK_REFUSED_ID_REJECTED: 2;
  /** The broker is unavailable. */
  const CONNACK_REFUSED_SERVER_UNAVAILABLE: 3;
  /** Bad user name or password. */
  const CONNACK_REFUSED_BAD_USER_OR_PASS: 4;
  /** Not authorized. */
  const CONNACK_REFUSED_NOT_AUTHORIZED: 5;

  /** A client object; its methods are called with `:`. */
  interface Client {
    /** Connects; conn/fail are the same slots as on("connect") and on("connfail"). */
    connect(
      host: string,
      port?: number,
      secure?: boolean,
      conn?: (this: void, client: Client) => void,
      fail?: (this: void, client: Client, reason: number) => void,
    ): void;
    connect(
      host: string,
      port: number,
      conn: (this: void, client: Client) => void,
      fail?: (this: void, client: Client, reason: number) => void,
    ): void;
    /** Sends DISCONNECT and closes; reusable after "offline". */
    close(): void;
    /** Sets the last will; call before connect. */
    lwt(topic: string, message: string, qos?: 0 | 1 | 2, retain?: 0 | 1): void;
    /** Message or overflow: (client, topic, data); data is nil for an empty payload. */
    on(event: "message" | "overflow", fn: (this: void, client: Client, topic: string, data?: string) => void): void;
    /** A failed connect with its reason code. */
    on(event: "connfail", fn: (this: void, client: Client, reason: number) => void): void;
    /** Connected, went offline, or an ack arrived. */
    on(event: "connect" | "offline" | "puback" | "suback" | "unsuback", fn: (this: void, client: Client) => void): void;
    /** Queues a message; raises "not connected" when offline; false if it cannot be sent. */
    publish(
      topic: string,
      payload: string,
      qos: 0 | 1 | 2,
      retain: 0 | 1,
      cb?: (this: void, client: Client) => void,
    ): boolean;
    /** Subscribes to one filter or a {filter = qos} table. */
    subscribe(topic: string, qos: 0 | 1 | 2, cb?: (this: void, client: Client) => void): boolean;
    subscribe(
      topics: LuaTable<string, 0 | 1 | 2> | Record<string, 0 | 1 | 2>,
      cb?: (this: void, client: Client) => void,
    ): boolean;
    /** Unsubscribes from one filter or a table of filters. */
    unsubscribe(
      topic: string | LuaTable<string, unknown> | Record<string, unknown>,
      cb?: (this: void, client: Client) => void,
    ): boolean;
  }
}
