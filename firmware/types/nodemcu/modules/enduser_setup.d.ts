// enduser_setup: a captive portal that asks the user for Wi-Fi credentials.
/** @noSelf */
declare namespace enduser_setup {
  /** Manual mode on/off (the access point and station mode are left to you); returns the setting. */
  function manual(on_off?: boolean): boolean;
  /** Starts the portal (SSID defaults to NodeMCU_<chip id>); onConnected when the station got an IP. */
  function start(
    ap_ssid?: string,
    onConnected?: (this: void) => void,
    onError?: (this: void, err_num: number, message: string) => void,
    onDebug?: (this: void, message: string) => void,
  ): void;
  function start(
    onConnected?: (this: void) => void,
    onError?: (this: void, err_num: number, message: string) => void,
    onDebug?: (this: void, message: string) => void,
  ): void;
  /** Stops the portal and its access point. */
  function stop(): void;
}
