// Imports run one way: firmware knows nothing of host or tools, host knows nothing of tools, the
// CLI kit (host/kit) imports nothing of the project outside itself, and no module imports itself
// back through others (type-only imports count: a loop of types is still a loop to read).
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { test } from "node:test";
import ts from "typescript";

const ROOT = resolve(import.meta.dirname, "../..");
const FOLDERS = ["firmware/src", "host", "tools", "bench", "test"];

/** Every .ts file under the project's source folders, as root-relative paths with "/". */
function sources(): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (path.endsWith(".ts")) files.set(path, readFileSync(join(ROOT, path), "utf8"));
    }
  };
  for (const f of FOLDERS) walk(f);
  return files;
}

/** The project files `file` imports (static, dynamic, type-only, re-exports); packages are left out. */
function importsOf(file: string, source: string, known: Set<string>): string[] {
  const specifiers = ts.preProcessFile(source, true, true).importedFiles.map((f) => f.fileName);
  const out: string[] = [];
  for (const s of specifiers.filter((x) => x.startsWith("."))) {
    // Node style names the .ts file; the firmware (TSTL) leaves the extension off.
    const base = relative(ROOT, resolve(ROOT, dirname(file), s)).replaceAll("\\", "/");
    const hit = [base, `${base}.ts`, `${base}.d.ts`, `${base}/index.ts`].find((c) => known.has(c));
    if (hit) out.push(hit);
  }
  return out;
}

type Graph = Map<string, string[]>;

function graphOf(files: Map<string, string>): Graph {
  const known = new Set(files.keys());
  return new Map([...files].map(([file, source]) => [file, importsOf(file, source, known)]));
}

const RULES: { from: RegExp; to: RegExp; why: string }[] = [
  { from: /^firmware\//, to: /^(host|tools)\//, why: "firmware knows nothing of host or tools" },
  { from: /^host\//, to: /^tools\//, why: "host knows nothing of tools" },
  {
    from: /^host\/kit\//,
    to: /^(?!host\/kit\/)/,
    why: "the CLI kit is at the bottom: it imports nothing of the project",
  },
];

/** Imports that run the wrong way, as "a -> b: why". */
function wrongWay(graph: Graph): string[] {
  const found: string[] = [];
  for (const [from, tos] of graph) {
    for (const to of tos)
      for (const r of RULES) if (r.from.test(from) && r.to.test(to)) found.push(`${from} -> ${to}: ${r.why}`);
  }
  return found;
}

/** Each import loop once, as "a -> b -> a" (depth-first; a loop is an edge back onto the path). */
function loops(graph: Graph): string[] {
  const found: string[] = [];
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (file: string) => {
    const at = path.indexOf(file);
    if (at !== -1) return void found.push([...path.slice(at), file].join(" -> "));
    if (done.has(file)) return;
    path.push(file);
    for (const next of graph.get(file) ?? []) visit(next);
    path.pop();
    done.add(file);
  };
  for (const file of [...graph.keys()].sort()) visit(file);
  return found;
}

test("no import runs the wrong way: firmware <- host <- tools, and the CLI kit at the bottom", () => {
  const graph = graphOf(sources());
  assert.ok(
    graph.size > 50 && [...graph.values()].some((tos) => tos.length > 0),
    "the scan found no sources or no imports: the check is broken",
  );
  assert.deepEqual(wrongWay(graph), []);
});

test("no import loops among the project's TypeScript files", () => {
  assert.deepEqual(loops(graphOf(sources())), []);
});

test("the checks catch a wrong-way import, a type-only loop and a lazy import", () => {
  const graph = graphOf(
    new Map([
      ["host/cli/x.ts", `import { y } from "../../tools/y.ts";`],
      ["host/kit/k.ts", `import type { C } from "../config.ts";`],
      ["host/config.ts", ``],
      ["firmware/src/app.ts", `import { n } from "../../host/names";`],
      ["host/names.ts", ``],
      ["tools/y.ts", `import type { V } from "./z.ts";`],
      [
        "tools/z.ts",
        `// import("./nothing.ts") in a comment is not an import\nexport const load = () => import("./y.ts");`,
      ],
    ]),
  );
  assert.deepEqual(
    wrongWay(graph).map((l) => l.split(":")[0]),
    ["host/cli/x.ts -> tools/y.ts", "host/kit/k.ts -> host/config.ts", "firmware/src/app.ts -> host/names.ts"],
  );
  assert.deepEqual(loops(graph), ["tools/y.ts -> tools/z.ts -> tools/y.ts"]);
});
