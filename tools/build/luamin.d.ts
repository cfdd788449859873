// luamin ships no types; this is the one call the build uses.
declare module "luamin" {
  const luamin: { minify(source: string): string };
  export default luamin;
}
