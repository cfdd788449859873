// The minified build: the optimizer's passes over all modules' trees together, then luamin.
import luamin from "luamin";
import luaparse from "luaparse";
import { requiredNames } from "./lua-tree.ts";
import { dropEmptyExports } from "./passes/drop-empty-exports.ts";
import { dropUnreadAliases } from "./passes/drop-unread-aliases.ts";
import { definesOnly, dropUnreadRequires } from "./passes/drop-unread-requires.ts";
import { inlinables, inlineCalls } from "./passes/inline-calls.ts";
import { joinLiterals } from "./passes/join-literals.ts";

/**
 * Minified Lua for the board (luamin: locals renamed, whitespace and comments gone). Every byte
 * is flash, and RAM while the chunk loads; the build re-checks the result with Lua 5.1. The
 * modules (name → TSTL output) go together, so that calls to one-expression functions of a
 * required module are inlined first (passes/inline-calls.ts). A module that only defines things (contract.lua)
 * and that inlining has left required by no other is not shipped at all.
 */
export function minifyModules(modules: Map<string, string>): Map<string, string> {
  const chunks = new Map([...modules].map(([name, code]) => [name, luaparse.parse(code, { scope: true, comments: false })]));
  const moduleName = (file: string) => (file.endsWith(".lua") ? file.slice(0, -".lua".length) : file);
  const exported = new Map([...chunks].map(([name, chunk]) => [moduleName(name), inlinables(chunk)]));
  const inert = new Set([...chunks].filter(([, chunk]) => definesOnly(chunk)).map(([name]) => moduleName(name)));
  const requiredBefore = new Set([...chunks.values()].flatMap((chunk) => [...requiredNames(chunk)]));
  for (const chunk of chunks.values()) {
    inlineCalls(chunk, exported);
    dropUnreadAliases(chunk);
    dropUnreadRequires(chunk, inert);
  }
  const requiredAfter = new Set([...chunks.values()].flatMap((chunk) => [...requiredNames(chunk)]));
  const out = new Map<string, string>();
  for (const [name, chunk] of chunks) {
    const m = moduleName(name);
    if (inert.has(m) && requiredBefore.has(m) && !requiredAfter.has(m)) continue;
    joinLiterals(chunk);
    dropEmptyExports(chunk);
    out.set(name, luamin.minify(chunk) + "\n");
  }
  return out;
}
