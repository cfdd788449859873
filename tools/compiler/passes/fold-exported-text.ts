// A module's text constant built from its others (`OFFLINE_PAYLOAD = '{"state":"' + OFFLINE +
// '"}'`, so the contract spells each state once): TSTL writes it as a concatenation, which is not
// a literal the inliner can write in place, and not a definition that lets the module stay off the
// board. Folded here to the one literal it always is.
import type { Chunk, Identifier, Node } from "luaparse";
import { isIdent } from "../lua-tree.ts";
import { joinLiterals } from "./join-literals.ts";

/** `____exports.NAME` when `e` reads one, else undefined. */
const exportRead = (e: Node): string | undefined =>
  e.type === "MemberExpression" && e.indexer === "." && isIdent(e.base, "____exports")
    ? (e.identifier as Identifier).name
    : undefined;

/** `e` with every read of a known text constant written as its literal, or undefined when it is not all text. */
function asText(e: Node, known: Map<string, Node>): Node | undefined {
  if (e.type === "StringLiteral") return e;
  const name = exportRead(e);
  if (name !== undefined) return known.get(name);
  if (e.type !== "BinaryExpression" || e.operator !== "..") return undefined;
  const [left, right] = [asText(e.left as Node, known), asText(e.right as Node, known)];
  return left && right ? { ...e, left, right } : undefined;
}

/** Folds `____exports.N = <text constants joined>` to one string literal, in the order they are defined. */
export function foldExportedText(chunk: Chunk): void {
  const known = new Map<string, Node>();
  for (const s of chunk.body) {
    const [target, value] = [(s.variables as Node[] | undefined)?.[0], (s.init as Node[] | undefined)?.[0]];
    const name = s.type === "AssignmentStatement" && target && value ? exportRead(target) : undefined;
    if (name === undefined) continue;
    const text = asText(value!, known);
    if (!text) continue;
    const scratch = {
      type: "Chunk",
      body: [{ type: "ReturnStatement", arguments: [structuredClone(text)] }],
    } as unknown as Chunk;
    joinLiterals(scratch);
    const folded = ((scratch.body[0] as Node).arguments as Node[])[0]!;
    if (folded.type !== "StringLiteral") continue;
    (s.init as Node[])[0] = folded;
    known.set(name, folded);
  }
}
