// A TypeScriptToLua plugin for string concatenation (`"a" + n + "b"`), which the firmware uses
// for every console line. TSTL's own output costs heap on the board in two ways this removes:
//  - it wraps every operand that is not a string in tostring(); for a number Lua's `..` already
//    formats it exactly as tostring does (both use "%.14g"), so number operands go in bare;
//  - it nests the chain to the left, ((a .. b) .. c), which Lua 5.1 compiles to one CONCAT per
//    step; nested to the right, a .. b .. c is a single CONCAT.
// Reassociating is safe because every operand is a string or a number (TSTL's tostring wrapping
// guarantees it, and only number-typed operands lose it), so no __concat metamethod can run.
import type ts from "typescript";
import type * as tstl from "typescript-to-lua";

type Tstl = typeof tstl;
type Ts = typeof ts;

function isConcat(t: Tstl, e: tstl.Expression): e is tstl.BinaryExpression {
  return t.isBinaryExpression(e) && e.operator === t.SyntaxKind.ConcatOperator;
}

/** `tostring(x)` → `x` when the TypeScript operand is a number. */
function bareNumber(
  t: Tstl,
  typescript: Ts,
  checker: ts.TypeChecker,
  lua: tstl.Expression,
  node: ts.Expression,
): tstl.Expression {
  if (!t.isCallExpression(lua) || lua.params.length !== 1) return lua;
  if (!t.isIdentifier(lua.expression) || lua.expression.text !== "tostring") return lua;
  const flags = checker.getTypeAtLocation(node).flags;
  return flags & typescript.TypeFlags.NumberLike ? lua.params[0]! : lua;
}

function operands(t: Tstl, e: tstl.Expression, out: tstl.Expression[]): tstl.Expression[] {
  if (isConcat(t, e)) {
    operands(t, e.left, out);
    operands(t, e.right, out);
  } else {
    out.push(e);
  }
  return out;
}

export function concatPlugin(t: Tstl, typescript: Ts): tstl.Plugin {
  return {
    visitors: {
      [typescript.SyntaxKind.BinaryExpression]: (node, context) => {
        const result = context.superTransformExpression(node);
        if (node.operatorToken.kind !== typescript.SyntaxKind.PlusToken || !isConcat(t, result)) return result;
        result.left = bareNumber(t, typescript, context.checker, result.left, node.left);
        result.right = bareNumber(t, typescript, context.checker, result.right, node.right);
        const parts = operands(t, result, []);
        let chain = parts.pop()!;
        while (parts.length > 0) chain = t.createBinaryExpression(parts.pop()!, chain, t.SyntaxKind.ConcatOperator);
        return chain;
      },
    },
  };
}
