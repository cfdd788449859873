// Inlined constants leave string literals side by side in a concatenation.
import type { Chunk, Node } from "luaparse";
import { walk } from "../lua-tree.ts";

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= "0" && c <= "9";

/** A literal written in double quotes on one line (not a [[long string]]): its quotes can be joined across. */
const quoted = (n: Node | undefined): n is Node => {
  const raw = n?.type === "StringLiteral" ? (n.raw as string) : "";
  return raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"') && !raw.includes("\n");
};

/** `"…\1"` or `"…\12"`: a decimal escape a digit after it would extend (`\d` takes up to three). */
const endsInShortEscape = (raw: string): boolean => {
  const q = raw.length - 1;
  return isDigit(raw[q - 1]) && (raw[q - 2] === "\\" || (isDigit(raw[q - 2]) && raw[q - 3] === "\\"));
};

/**
 * Joins string literals that meet in a concatenation ("a" .. "b" .. x → "ab" .. x), as inlining
 * a folded constant leaves them; each literal is a constant the board would keep.
 */
export function joinLiterals(chunk: Chunk): void {
  for (const n of walk(chunk)) {
    while (n.type === "BinaryExpression" && n.operator === "..") {
      const [left, right] = [n.left as Node, n.right as Node];
      const chained = right.type === "BinaryExpression" && right.operator === "..";
      const head = chained ? (right.left as Node) : right;
      // "\1" .. "2" must not become "\12".
      if (!quoted(left) || !quoted(head) || (endsInShortEscape(left.raw as string) && isDigit((head.raw as string)[1])))
        break;
      const joined: Node = {
        type: "StringLiteral",
        value: null,
        raw: (left.raw as string).slice(0, -1) + (head.raw as string).slice(1),
      };
      if (chained) Object.assign(n, { left: joined, right: right.right });
      else Object.assign(n, joined, { operator: undefined, left: undefined, right: undefined });
    }
  }
}
