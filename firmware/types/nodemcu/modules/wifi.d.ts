// wifi: station mode, settings and the event monitor.
/** @noSelf */
declare namespace wifi {
  /** Sets the mode (wifi.STATION …); save false keeps it out of flash. Returns the mode. */
  function setmode(mode: number, save?: boolean): number;
  /** The current mode. */
  function getmode(): number;
  /** Sets the physical mode (b/g/n). */
  function setphymode(mode: number): number;
  /** The physical mode. */
  function getphymode(): number;
  /** The channel in use. */
  function getchannel(): number;
  /** The mode stored in flash. */
  function getdefaultmode(): number;
  /** The country settings. */
  function getcountry(): CountryInfo;
  /** Sets the country settings (an empty table restores the defaults); true on success. */
  function setcountry(info: Partial<CountryInfo>): boolean;
  /** Caps the transmit power, in 0.25 dBm steps (0–82). */
  function setmaxtxpower(max_tpw: number): void;
  /** Turns automatic sleep in NULLMODE on or off; returns the setting. */
  function nullmodesleep(enable?: boolean): boolean;
  /** Suspends Wi-Fi for duration µs (0: until resume) and returns nothing; with no argument, the state (0 awake, 1 pending, 2 suspended). */
  function suspend(cfg: {
    duration: number;
    suspend_cb?: (this: void) => void;
    resume_cb?: (this: void) => void;
    preserve_mode?: boolean;
  }): void;
  function suspend(): 0 | 1 | 2;
  /** Wakes Wi-Fi from suspension. */
  function resume(resume_cb?: (this: void) => void): void;
  /** Starts SmartConfig (0 ESP-TOUCH, 1 AirKiss), when the firmware was built with WIFI_SMART_ENABLE. */
  function startsmart(type: 0 | 1, callback: (this: void, ssid: string, password: string) => void): void;
  /** Stops SmartConfig. */
  function stopsmart(): void;
  /** Country settings: code, first and last channel, policy (COUNTRY_AUTO from the access point, COUNTRY_MANUAL local). */
  interface CountryInfo {
    country: string;
    start_ch: number;
    end_ch: number;
    policy: number;
  }
  /** Use the access point's country settings. */
  const COUNTRY_AUTO: 0;
  /** Use the local country settings. */
  const COUNTRY_MANUAL: 1;
  /** Radio always on. */
  const NONE_SLEEP: 0;
  /** The CPU may sleep too. */
  const LIGHT_SLEEP: 1;
  /** The radio sleeps between beacons (default). */
  const MODEM_SLEEP: 2;
  /** No Wi-Fi. */
  const NULLMODE: 0;
  /** Station: joins an access point. */
  const STATION: 1;
  /** Access point. */
  const SOFTAP: 2;
  /** Station and access point. */
  const STATIONAP: 3;
  /** 802.11b. */
  const PHYMODE_B: 1;
  /** 802.11g. */
  const PHYMODE_G: 2;
  /** 802.11n. */
  const PHYMODE_N: 3;
  /** Open network. */
  const OPEN: 0;
  /** WPA-PSK. */
  const WPA_PSK: 2;
  /** WPA2-PSK. */
  const WPA2_PSK: 3;
  /** WPA/WPA2-PSK. */
  const WPA_WPA2_PSK: 4;
  /** Station idle. */
  const STA_IDLE: 0;
  /** Station connecting. */
  const STA_CONNECTING: 1;
  /** Wrong password. */
  const STA_WRONGPWD: 2;
  /** Access point not found. */
  const STA_APNOTFOUND: 3;
  /** Connection failed. */
  const STA_FAIL: 4;
  /** Got an IP address. */
  const STA_GOTIP: 5;

  /** Station settings for wifi.sta.config (the firmware reads connect_cb/disconnect_cb, whatever the docs say). */
  interface StationConfig {
    /** Network name, 0–32 bytes. */
    ssid: string;
    /** Password, 0–64 bytes. */
    pwd?: string;
    /** Access point MAC, "AA:BB:CC:DD:EE:FF". */
    bssid?: string;
    /** Connect now and on boot (default true). */
    auto?: boolean;
    /** Store the settings in flash (default true). */
    save?: boolean;
    /** Called on STA_CONNECTED. */
    connect_cb?: (this: void, T: eventmon.Connected) => void;
    /** Called on STA_DISCONNECTED. */
    disconnect_cb?: (this: void, T: eventmon.Disconnected) => void;
    /** Called on STA_AUTHMODE_CHANGE. */
    authmode_change_cb?: (this: void, T: eventmon.AuthModeChange) => void;
    /** Called on STA_GOT_IP. */
    got_ip_cb?: (this: void, T: eventmon.GotIp) => void;
    /** Called on STA_DHCP_TIMEOUT. */
    dhcp_timeout_cb?: (this: void, T: {}) => void;
  }

  /** The station interface. */
  namespace sta {
    /** Sets the network to join; true when the settings were taken. */
    function config(cfg: StationConfig): boolean;
    /** Connects with the stored settings; cb runs on STA_CONNECTED. */
    function connect(cb?: (this: void, T: eventmon.Connected) => void): void;
    /** Disconnects; cb runs on STA_DISCONNECTED. */
    function disconnect(cb?: (this: void, T: eventmon.Disconnected) => void): void;
    /** Turns automatic reconnection on (1) or off (0). */
    function autoconnect(on: 0 | 1): void;
    /** IP, netmask and gateway, or a single nil without an address. */
    function getip(): LuaMultiReturn<[string, string, string] | [undefined]>;
    /** The connection status, wifi.STA_IDLE … wifi.STA_GOTIP. */
    function status(): number;
    /** Signal strength in dBm, or nil when not connected. */
    function getrssi(): number | undefined;
    /** The station MAC, "18:fe:34:a2:d7:34". */
    function getmac(): string;
    /** Sets the station MAC. */
    function setmac(mac: string): boolean;
    /** The DHCP host name. */
    function gethostname(): string;
    /** Sets the DHCP host name; true on success. */
    function sethostname(name: string): boolean;
    /** Sets a static IP. */
    function setip(cfg: { ip: string; netmask: string; gateway: string }): boolean;
    /** The settings in use (or stored in flash with true). */
    function getconfig(
      asTable: true,
      fromFlash?: boolean,
    ): { ssid: string; pwd: string; bssid_set: number; bssid: string };
    /** The settings in use as ssid, password, bssid_set, bssid. */
    function getconfig(asTable?: false): LuaMultiReturn<[string, string, number, string]>;
    /** The settings stored in flash. */
    function getdefaultconfig(asTable: true): { ssid: string; pwd?: string; bssid_set: boolean; bssid: string };
    function getdefaultconfig(asTable?: false): LuaMultiReturn<[string, string, number, string]>;
    /** Switches to stored access point 1–5; true on success. */
    function changeap(ap_index: number): boolean;
    /** Erases the station settings from flash; true on success. */
    function clearconfig(): boolean;
    /** Scans for access points; the table is keyed by SSID (format 0) or BSSID (format 1) with comma-separated details. */
    function getap(callback: (this: void, aps: LuaTable<string, string>) => void): void;
    function getap(format: 0 | 1, callback: (this: void, aps: LuaTable<string, string>) => void): void;
    function getap(cfg: ScanConfig, format: 0 | 1, callback: (this: void, aps: LuaTable<string, string>) => void): void;
    /** The index (1–5) of the stored access point in use. */
    function getapindex(): number;
    /** The stored access points: qty and, by index, their settings. */
    function getapinfo(): { qty: number } & LuaTable<number, { ssid: string; pwd?: string; bssid?: string }>;
    /** The broadcast address, or nil without an IP. */
    function getbroadcast(): string | undefined;
    /** How many access points to store in flash (1–5); true on success. */
    function setaplimit(qty: number): boolean;
    /** Sets the sleep type (wifi.NONE_SLEEP, LIGHT_SLEEP, MODEM_SLEEP); the type set. */
    function sleeptype(type_wanted: number): number;
    /** Filters for getap. */
    interface ScanConfig {
      ssid?: string;
      bssid?: string;
      channel?: number;
      show_hidden?: 0 | 1;
    }
  }

  /** Access point settings for wifi.ap.config. */
  interface ApConfig {
    /** Network name, 1–32 bytes. */
    ssid: string;
    /** Password, 8–64 bytes. */
    pwd?: string;
    /** wifi.OPEN (default), WPA_PSK, WPA2_PSK or WPA_WPA2_PSK. */
    auth?: number;
    /** Channel 1–14 (default 6). */
    channel?: number;
    hidden?: boolean;
    /** Most clients, 1–4. */
    max?: number;
    /** Beacon interval, 100–60000 ms. */
    beacon?: number;
    /** Store in flash (default true). */
    save?: boolean;
    staconnected_cb?: (this: void, T: { MAC: string; AID: number }) => void;
    stadisconnected_cb?: (this: void, T: { MAC: string; AID: number }) => void;
    probereq_cb?: (this: void, T: { MAC: string; RSSI: number }) => void;
  }

  /** The access point interface. */
  namespace ap {
    /** Sets up the access point; true on success. */
    function config(cfg: ApConfig): boolean;
    /** Disconnects one station by MAC, or all; false in STATION mode. */
    function deauth(mac?: string): boolean;
    /** The broadcast address, or nil without an IP. */
    function getbroadcast(): string | undefined;
    /** Connected clients, MAC to IP. */
    function getclient(): LuaTable<string, string>;
    /** The settings in use. */
    function getconfig(asTable: true): {
      ssid: string;
      pwd?: string;
      auth: number;
      channel: number;
      hidden: boolean;
      max: number;
      beacon: number;
    };
    function getconfig(asTable?: false): LuaMultiReturn<[string, string]>;
    /** The settings stored in flash. */
    function getdefaultconfig(asTable: true): {
      ssid: string;
      pwd?: string;
      auth: number;
      channel: number;
      hidden: boolean;
      max: number;
      beacon: number;
    };
    function getdefaultconfig(asTable?: false): LuaMultiReturn<[string, string]>;
    /** IP, netmask and gateway, or nil without an address. */
    function getip(): LuaMultiReturn<[string, string, string] | [undefined]>;
    /** The access point's MAC. */
    function getmac(): string;
    /** Sets the access point's IP; true on success. */
    function setip(cfg: { ip: string; netmask: string; gateway: string }): boolean;
    /** Sets the access point's MAC; true on success. */
    function setmac(mac: string): boolean;

    /** The access point's DHCP server. */
    namespace dhcp {
      /** Sets the pool's first address; the pool's first and last. */
      function config(cfg: { start: string }): LuaMultiReturn<[string, string]>;
      /** Starts the DHCP server; true on success. */
      function start(): boolean;
      /** Stops the DHCP server; true on success. */
      function stop(): boolean;
    }
  }

  /** Wi-Fi events, delivered to registered callbacks. */
  namespace eventmon {
    /** Calls fn on the event; without fn, stops calling. */
    function register(event: typeof STA_CONNECTED, fn?: (this: void, T: Connected) => void): void;
    function register(event: typeof STA_DISCONNECTED, fn?: (this: void, T: Disconnected) => void): void;
    function register(event: typeof STA_AUTHMODE_CHANGE, fn?: (this: void, T: AuthModeChange) => void): void;
    function register(event: typeof STA_GOT_IP, fn?: (this: void, T: GotIp) => void): void;
    function register(event: typeof STA_DHCP_TIMEOUT, fn?: (this: void, T: {}) => void): void;
    function register(
      event: typeof AP_STACONNECTED | typeof AP_STADISCONNECTED,
      fn?: (this: void, T: { MAC: string; AID: number }) => void,
    ): void;
    function register(
      event: typeof AP_PROBEREQRECVED,
      fn?: (this: void, T: { MAC: string; RSSI: number }) => void,
    ): void;
    function register(
      event: typeof WIFI_MODE_CHANGED,
      fn?: (this: void, T: { old_mode: number; new_mode: number }) => void,
    ): void;
    /** Stops calling back for an event. */
    function unregister(event: number): void;
    /** Joined an access point. */
    const STA_CONNECTED: 0;
    /** Left or failed to join; the table holds the reason. */
    const STA_DISCONNECTED: 1;
    /** The access point's auth mode changed. */
    const STA_AUTHMODE_CHANGE: 2;
    /** Got an IP address. */
    const STA_GOT_IP: 3;
    /** DHCP gave no address in time. */
    const STA_DHCP_TIMEOUT: 4;
    /** A station joined our access point. */
    const AP_STACONNECTED: 5;
    /** A station left our access point. */
    const AP_STADISCONNECTED: 6;
    /** Our access point got a probe request. */
    const AP_PROBEREQRECVED: 7;
    /** The Wi-Fi mode changed. */
    const WIFI_MODE_CHANGED: 8;

    /** STA_CONNECTED's table. */
    interface Connected {
      SSID: string;
      BSSID: string;
      channel: number;
    }
    /** STA_DISCONNECTED's table; reason is one of wifi.eventmon.reason. */
    interface Disconnected {
      SSID: string;
      BSSID: string;
      reason: number;
    }
    /** STA_AUTHMODE_CHANGE's table. */
    interface AuthModeChange {
      old_auth_mode: number;
      new_auth_mode: number;
    }
    /** STA_GOT_IP's table. */
    interface GotIp {
      IP: string;
      netmask: string;
      gateway: string;
    }

    /** Disconnect reason codes from the SDK. */
    const reason: {
      readonly UNSPECIFIED: 1;
      readonly AUTH_EXPIRE: 2;
      readonly AUTH_LEAVE: 3;
      readonly ASSOC_EXPIRE: 4;
      readonly ASSOC_TOOMANY: 5;
      readonly NOT_AUTHED: 6;
      readonly NOT_ASSOCED: 7;
      readonly ASSOC_LEAVE: 8;
      readonly ASSOC_NOT_AUTHED: 9;
      readonly DISASSOC_PWRCAP_BAD: 10;
      readonly DISASSOC_SUPCHAN_BAD: 11;
      readonly IE_INVALID: 13;
      readonly MIC_FAILURE: 14;
      readonly "4WAY_HANDSHAKE_TIMEOUT": 15;
      readonly GROUP_KEY_UPDATE_TIMEOUT: 16;
      readonly IE_IN_4WAY_DIFFERS: 17;
      readonly GROUP_CIPHER_INVALID: 18;
      readonly PAIRWISE_CIPHER_INVALID: 19;
      readonly AKMP_INVALID: 20;
      readonly UNSUPP_RSN_IE_VERSION: 21;
      readonly INVALID_RSN_IE_CAP: 22;
      readonly "802_1X_AUTH_FAILED": 23;
      readonly CIPHER_SUITE_REJECTED: 24;
      readonly BEACON_TIMEOUT: 200;
      readonly NO_AP_FOUND: 201;
      readonly AUTH_FAIL: 202;
      readonly ASSOC_FAIL: 203;
      readonly HANDSHAKE_TIMEOUT: 204;
    };
  }
}
