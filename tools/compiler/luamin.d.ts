// luamin ships no types; this is the one call the build uses (source text or a luaparse AST).
declare module "luamin" {
  const luamin: { minify(source: string | import("luaparse").Chunk): string };
  export default luamin;
}
