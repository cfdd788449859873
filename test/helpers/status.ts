// Fills the contract's ONLINE_FORMAT on the host the way string.format does on the board, for
// tests that need a status payload (the board itself never runs this).
import { ONLINE_FORMAT } from "../../firmware/src/contract.ts";

/** `host` and `port`: the broker the board is on; `extra`: the members the app adds, with their leading comma. */
export function onlineStatus(
  version: string,
  ip: string,
  heap: number,
  overflows: number,
  dropped: number,
  host = "127.0.0.1",
  port = 1883,
  extra = "",
): string {
  const values = [
    version,
    ip,
    Math.trunc(heap),
    Math.trunc(overflows),
    Math.trunc(dropped),
    host,
    Math.trunc(port),
    extra,
  ];
  let i = 0;
  return ONLINE_FORMAT.replace(/%[sd]/g, () => String(values[i++]));
}
