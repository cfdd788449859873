// Inlined constants leave string literals side by side in a concatenation.
import type { Chunk, Node } from "luaparse";
import { walk } from "../lua-tree.ts";

/**
 * Joins string literals that meet in a concatenation ("a" .. "b" .. x → "ab" .. x), as inlining
 * a folded constant leaves them; each literal is a constant the board would keep.
 */
export function joinLiterals(chunk: Chunk): void {
  const quoted = (n: Node | undefined): n is Node => n?.type === "StringLiteral" && /^"[^\n]*"$/.test(n.raw as string);
  for (const n of walk(chunk)) {
    while (n.type === "BinaryExpression" && n.operator === "..") {
      const [left, right] = [n.left as Node, n.right as Node];
      const chained = right.type === "BinaryExpression" && right.operator === "..";
      const head = chained ? (right.left as Node) : right;
      // "\1" .. "2" must not become "\12".
      if (!quoted(left) || !quoted(head) || (/\\\d{1,2}"$/.test(left.raw as string) && /^"\d/.test(head.raw as string))) break;
      const joined: Node = { type: "StringLiteral", value: null, raw: (left.raw as string).slice(0, -1) + (head.raw as string).slice(1) };
      if (chained) Object.assign(n, { left: joined, right: right.right });
      else Object.assign(n, joined, { operator: undefined, left: undefined, right: undefined });
    }
  }
}
