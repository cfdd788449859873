// What a build asks of the NodeMCU firmware on the board, read from the Lua it ships: the C
// modules its code names, whether its MQTT connect is secure (an SSL build), and the number
// literals an integer build cannot run. `mcu flash` compares these with the board before it
// uploads (tools/serial/preflight.ts); manifest.json records them.
import luaparse, { type Node } from "luaparse";
import { inBuildOrder, NODEMCU_MODULES } from "../nodemcu/builds.ts";

export interface BoardNeeds {
  /** NodeMCU modules the firmware's Lua reads as globals, in NodeMCU's order. */
  modules: string[];
  /** The config connects with TLS: only an SSL build can (app/modules/mqtt.c:1082-1086). */
  ssl: boolean;
  /**
   * Number literals an integer build cannot run, as "file: literal". Its lexer reads numbers with
   * strtol (app/lua/luaconf.h:585), so "0.5" or "1e3" leaves characters over (app/lua/lobject.c:121-123),
   * a "malformed number" (app/lua/llex.c:180), and the file does not load; a value past 32 bits does
   * not fit its numbers. Empty: the code
   * loads and runs on an integer build, where `/` rounds down and node.random() is 0.
   */
  floats: string[];
  /** Heap the firmware's modules hold once loaded (the build's measured RAM, summed): before its data. */
  heap: number;
}

const INT32_MAX = 2 ** 31 - 1;

/** A number literal an integer build cannot read or hold. */
function needsFloat(raw: string, value: number): boolean {
  const hex = raw.slice(0, 2).toLowerCase() === "0x";
  return (
    (!hex && [".", "e", "E"].some((c) => raw.includes(c))) || !Number.isInteger(value) || Math.abs(value) > INT32_MAX
  );
}

/** The needs of the Lua files a build ships (name -> source), with its TLS setting and measured RAM. */
export function boardNeeds(files: Map<string, string>, tls: boolean, heap: number): BoardNeeds {
  const modules = new Set<string>();
  const floats: string[] = [];
  for (const [name, code] of files) {
    const onCreateNode = (node: Node) => {
      if (node.type === "NumericLiteral" && needsFloat(String(node.raw), Number(node.value)))
        floats.push(`${name}: ${node.raw}`);
    };
    const chunk = luaparse.parse(code, { scope: true, comments: false, onCreateNode });
    for (const g of chunk.globals) if (NODEMCU_MODULES.includes(g.name)) modules.add(g.name);
  }
  return { modules: inBuildOrder(modules), ssl: tls, floats, heap };
}
