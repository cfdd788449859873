// Fills the contract's ONLINE_FORMAT on the host the way string.format does on the board, for
// tests that need a status payload (the board itself never runs this).
import { ONLINE_FORMAT } from "../../firmware/src/contract.ts";

/** `broker`: the status field a board on several brokers adds (',"broker":"host:port"'), else "". */
export function onlineStatus(version: string, ip: string, heap: number, overflows: number, dropped: number, broker = ""): string {
  const values = [version, ip, Math.trunc(heap), Math.trunc(overflows), Math.trunc(dropped), broker];
  let i = 0;
  return ONLINE_FORMAT.replace(/%[sd]/g, () => String(values[i++]));
}
