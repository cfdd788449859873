// The minified build: the optimizer's passes over all modules' trees together, then luamin.
import luamin from "luamin";
import luaparse from "luaparse";
import { type MappedLua, printMapped, tagModule } from "./line-marks.ts";
import { requiredNames } from "./lua-tree.ts";
import { dropEmptyExports } from "./passes/drop-empty-exports.ts";
import { dropUnreadAliases } from "./passes/drop-unread-aliases.ts";
import { definesOnly, dropUnreadRequires } from "./passes/drop-unread-requires.ts";
import { dropUnshippedReleases } from "./passes/drop-unshipped-releases.ts";
import { foldExportedText } from "./passes/fold-exported-text.ts";
import { foldFormatLiterals } from "./passes/fold-format-literals.ts";
import { foldFunctionTests } from "./passes/fold-function-tests.ts";
import { inlinables, inlineCalls } from "./passes/inline-calls.ts";
import { inlineFunctionValues } from "./passes/inline-function-values.ts";
import { inlineLiteralLocals } from "./passes/inline-literal-locals.ts";
import { inlineLocalAliases } from "./passes/inline-local-aliases.ts";
import { inlinePureLocals } from "./passes/inline-pure-locals.ts";
import { inlineSingleCalls } from "./passes/inline-single-calls.ts";
import { joinLiterals } from "./passes/join-literals.ts";
import { spliceLibrary } from "./passes/splice-library.ts";
import type { Origins } from "./source-maps.ts";

/**
 * Minified Lua for the board (luamin: locals renamed, whitespace and comments gone). Every byte
 * is flash, and RAM while the chunk loads; the build re-checks the result with Lua 5.1. The
 * modules (name → TSTL output) go together, so that calls to one-expression functions of a
 * required module are inlined first (passes/inline-calls.ts). Before that, a library's one
 * function called once at the top of the one module that requires it (session.lua's start) is
 * written into that module (passes/splice-library.ts). A module that only defines things
 * (contract.lua), or a library so spliced, that is then required by no other is not shipped at all.
 * `splice` false leaves libraries modules of their own (the build's fallback when a module with a
 * library written in would take more RAM than its budget). With `origins` (TSTL's source maps),
 * each module breaks lines where the TypeScript line changes and says where each line came from
 * (line-marks.ts); every node keeps the module it was parsed from, wherever a pass moves it.
 */
export function minifyModules(
  modules: Map<string, string>,
  splice = true,
  origins = new Map<string, Origins>(),
): Map<string, MappedLua> {
  const chunks = new Map(
    [...modules].map(([name, code]) => [name, luaparse.parse(code, { scope: true, comments: false, locations: true })]),
  );
  for (const [name, chunk] of chunks) tagModule(chunk, name);
  for (const chunk of chunks.values()) foldExportedText(chunk);
  const moduleName = (file: string) => (file.endsWith(".lua") ? file.slice(0, -".lua".length) : file);
  const requiredBefore = new Set([...chunks.values()].flatMap((chunk) => [...requiredNames(chunk)]));
  const spliced = new Set<string>();
  for (const [name, lib] of splice ? chunks : []) {
    const users = [...chunks].filter(([other, chunk]) => other !== name && requiredNames(chunk).has(moduleName(name)));
    if (users.length === 1 && spliceLibrary(moduleName(name), structuredClone(lib), users[0]![1]))
      spliced.add(moduleName(name));
  }
  const exported = new Map([...chunks].map(([name, chunk]) => [moduleName(name), inlinables(chunk)]));
  const inert = new Set([...chunks].filter(([, chunk]) => definesOnly(chunk)).map(([name]) => moduleName(name)));
  for (const chunk of chunks.values()) {
    // One pass can open the way for another (a decided test leaves a function read once, to be
    // inlined; an inlined body leaves a local to write in place): again until nothing changes.
    for (
      let before = "", after = JSON.stringify(chunk);
      before !== after;
      before = after, after = JSON.stringify(chunk)
    ) {
      foldFunctionTests(chunk);
      inlineCalls(chunk, exported);
      inlineSingleCalls(chunk);
      inlineFunctionValues(chunk);
      inlinePureLocals(chunk);
      inlineLiteralLocals(chunk);
      inlineLocalAliases(chunk);
      dropUnreadAliases(chunk);
      dropUnreadRequires(chunk, inert);
    }
  }
  const requiredAfter = new Set([...chunks.values()].flatMap((chunk) => [...requiredNames(chunk)]));
  const unshipped = (m: string) => (inert.has(m) || spliced.has(m)) && requiredBefore.has(m) && !requiredAfter.has(m);
  const gone = new Set([...chunks.keys()].map(moduleName).filter(unshipped));
  const out = new Map<string, MappedLua>();
  for (const [name, chunk] of chunks) {
    if (gone.has(moduleName(name))) continue;
    dropUnshippedReleases(chunk, gone);
    joinLiterals(chunk);
    foldFormatLiterals(chunk);
    dropEmptyExports(chunk);
    out.set(name, printMapped(chunk, origins, luamin.minify));
  }
  return out;
}
