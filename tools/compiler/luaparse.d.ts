// luaparse ships no types; these are the parts of its AST the build reads and rewrites.
declare module "luaparse" {
  export interface Node {
    type: string;
    [field: string]: unknown;
  }
  export interface Identifier extends Node {
    type: "Identifier";
    name: string;
    isLocal?: boolean;
  }
  export interface Chunk extends Node {
    type: "Chunk";
    body: Node[];
    globals: Identifier[];
  }
  export function parse(
    code: string,
    options?: {
      scope?: boolean;
      comments?: boolean;
      ranges?: boolean;
      locations?: boolean;
      luaVersion?: string;
      onCreateNode?: (node: Node) => void;
    },
  ): Chunk;
  const luaparse: { parse: typeof parse };
  export default luaparse;
}
