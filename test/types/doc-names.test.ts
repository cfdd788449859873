// @types/nodemcu against NodeMCU's documentation: every function, method and constant a module's
// page names (doc-names.json, made by the package's scripts/doc-names.mjs) is typed, or listed in
// untyped.json with a reason, and that list is in the package README.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const pkg = join(dirname(fileURLToPath(import.meta.url)), "../../firmware/types/nodemcu");
const fixtures = join(dirname(fileURLToPath(import.meta.url)), "fixtures");
const documented: Record<string, string[]> = JSON.parse(readFileSync(join(pkg, "doc-names.json"), "utf8")).modules;
const untyped: Record<string, string> = JSON.parse(readFileSync(join(pkg, "untyped.json"), "utf8")).names;

/** The name a declaration has in Lua: its @customName if it has one. */
function luaName(node: ts.Node, name: string): string {
  const tag = ts.getJSDocTags(node).find((t) => t.tagName.text === "customName");
  return typeof tag?.comment === "string" ? tag.comment.trim() : name;
}

/**
 * Typed names per top-level namespace, in the docs' spelling: dotted paths of functions, constants
 * and namespaces ("wifi.sta.config"), ":name" for a method of any object type in the module, and
 * "mod.name" for members of a Lua module's `Module` interface (what require returns).
 */
function typedNames(): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const walk = (ns: ts.ModuleDeclaration, path: string, names: Set<string>): void => {
    names.add(path);
    const body = ns.body;
    if (!body || !ts.isModuleBlock(body)) return;
    for (const st of body.statements) {
      if (ts.isFunctionDeclaration(st) && st.name) names.add(`${path}.${luaName(st, st.name.text)}`);
      else if (ts.isVariableStatement(st)) {
        for (const d of st.declarationList.declarations) {
          if (!ts.isIdentifier(d.name)) continue;
          names.add(`${path}.${d.name.text}`);
          // A constant table typed inline (wifi.eventmon.reason): its fields are constants too.
          if (d.type && ts.isTypeLiteralNode(d.type)) {
            for (const m of d.type.members)
              if (m.name && ts.isIdentifier(m.name)) names.add(`${path}.${d.name.text}.${m.name.text}`);
          }
        }
      } else if (ts.isModuleDeclaration(st) && ts.isIdentifier(st.name))
        walk(st, `${path}.${luaName(st, st.name.text)}`, names);
      else if (ts.isInterfaceDeclaration(st)) {
        const top = path.split(".")[0]!;
        for (const m of st.members) {
          if (!m.name || !ts.isIdentifier(m.name)) continue;
          names.add(st.name.text === "Module" ? `${top}.${m.name.text}` : `:${m.name.text}`);
        }
      }
    }
  };
  for (const f of readdirSync(join(pkg, "modules")).filter((n) => n.endsWith(".d.ts"))) {
    const src = ts.createSourceFile(f, readFileSync(join(pkg, "modules", f), "utf8"), ts.ScriptTarget.Latest, true);
    for (const st of src.statements) {
      if (!ts.isModuleDeclaration(st) || !ts.isIdentifier(st.name)) continue;
      const name = luaName(st, st.name.text);
      const names = out.get(name) ?? new Set<string>();
      walk(st, name, names);
      out.set(name, names);
    }
  }
  return out;
}

const typed = typedNames();

/** A NodeMCU firmware git repository to check doc-names.json against (the shared mirror by default). */
const nodemcuRepo = process.env.NODEMCU_REPO ?? "/work/.mirror/nodemcu+nodemcu-firmware/repo";

test("doc-names.json is what scripts/doc-names.mjs makes from NodeMCU's docs", (t) => {
  if (!existsSync(nodemcuRepo)) return t.skip(`no NodeMCU repository at ${nodemcuRepo} (set NODEMCU_REPO)`);
  const made = execFileSync(process.execPath, [join(pkg, "scripts/doc-names.mjs"), nodemcuRepo], { encoding: "utf8" });
  assert.equal(made, readFileSync(join(pkg, "doc-names.json"), "utf8"));
});

test("every documented module has typings", () => {
  const missing = Object.keys(documented).filter((m) => !typed.has(m));
  assert.deepEqual(missing, [], `modules without typings: ${missing.join(", ")}`);
});

test("every documented name is typed or listed as untyped with a reason", () => {
  const missing = Object.entries(documented)
    .flatMap(([m, names]) =>
      names.filter((n) => !typed.get(m)?.has(n)).map((n) => (n.startsWith(":") ? `${m}${n}` : n)),
    )
    .filter((key) => !(key in untyped));
  assert.deepEqual(missing, [], `documented but neither typed nor in untyped.json:\n${missing.join("\n")}`);
  for (const [name, reason] of Object.entries(untyped)) assert.ok(reason.trim().length > 10, `${name} needs a reason`);
});

test("untyped.json lists only names that are documented and not typed", () => {
  const all = new Set(
    Object.entries(documented).flatMap(([m, names]) => names.map((n) => (n.startsWith(":") ? `${m}${n}` : n))),
  );
  for (const name of Object.keys(untyped)) {
    assert.ok(all.has(name), `${name} is not in doc-names.json`);
    const m = name.split(/[.:]/)[0]!;
    const key = name.includes(":") ? name.slice(m.length) : name;
    assert.ok(!typed.get(m)?.has(key), `${name} is typed now: remove it from untyped.json`);
  }
});

test("the package README lists every untyped name with its reason", () => {
  const readme = readFileSync(join(pkg, "README.md"), "utf8");
  for (const [name, reason] of Object.entries(untyped)) {
    assert.ok(readme.includes(`| \`${name}\` | ${reason} |`), `README.md has no row for ${name}`);
  }
});

test("every typed module is used in the type-test fixtures, correctly and wrongly", () => {
  const read = (prefix: string) =>
    readdirSync(fixtures)
      .filter((f) => f.startsWith(prefix) && f.endsWith(".ts"))
      .map((f) => readFileSync(join(fixtures, f), "utf8"))
      .join("\n");
  const ok = read("ok");
  const misuse = read("misuse").split("\n");
  const missing: string[] = [];
  for (const m of Object.keys(documented)) {
    const ref = m === "bit" ? "bits." : m === "ds18b20" ? 'require("ds18b20")' : `${m}.`;
    if (!ok.includes(ref)) missing.push(`no correct use of ${m} in the ok fixtures`);
    const misused = misuse.some(
      (l, i) =>
        l.trimStart().startsWith("// @ts-expect-error") && misuse[i + 1]!.includes(m === "ds18b20" ? "ds18b20" : ref),
    );
    if (!misused) missing.push(`no marked misuse of ${m} in the misuse fixtures`);
  }
  assert.deepEqual(missing, []);
});
