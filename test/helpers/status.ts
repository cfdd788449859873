// Fills the contract's ONLINE_FORMAT on the host the way string.format does on the board, for
// tests that need a status payload (the board itself never runs this).
import { ONLINE_FORMAT } from "../../firmware/src/contract.ts";

export function onlineStatus(version: string, ip: string, heap: number, overflows: number, dropped: number): string {
  const values = [version, ip, Math.trunc(heap), Math.trunc(overflows), Math.trunc(dropped)];
  let i = 0;
  return ONLINE_FORMAT.replace(/%[sd]/g, () => String(values[i++]));
}
