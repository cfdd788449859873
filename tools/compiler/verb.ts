// `mcu build`: compiles the firmware for the board described by the config file.
import { EXIT, parseOrUsage, wholeNumber } from "../../host/kit/index.ts";
import { buildFirmware, DEFAULT_RAM_BUDGET } from "./build.ts";

export const usage = `usage: mcu build [--app DIR] [--config FILE] [--out DIR] [--ram-budget BYTES] [--no-minify]

Compiles firmware/src (TypeScript) to Lua 5.1 for NodeMCU, writes config.lua from the config
file (default device.json, else device.example.json), checks every file with the Lua 5.1 parser
and prints each file's size and the RAM it takes once loaded.

  --app DIR            an app folder of your own (mcu new): its src/ with the shared boot guard
                       and contract; its device.json and build/lua are then the defaults
  --config FILE        board settings (default: the project's device.json)
  --out DIR            output folder (default build/lua); a new or empty folder, or an earlier
                       build's (only the files its manifest.json lists are replaced)
  --ram-budget BYTES   most RAM one loaded module may take (default ${DEFAULT_RAM_BUDGET})
  --no-minify          keep line breaks and names, so errors on the board point at readable code

example:
  mcu build --config kitchen.json --out build/kitchen`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseOrUsage(
    argv,
    {
      app: { type: "string" },
      config: { type: "string" },
      out: { type: "string" },
      "ram-budget": { type: "string" },
      "no-minify": { type: "boolean" },
    },
    usage,
  );
  const budget = wholeNumber("ram-budget", values["ram-budget"], { positive: true, unit: "bytes" });
  await buildFirmware({
    appDir: values.app,
    configFile: values.config,
    outDir: values.out,
    ramBudget: budget,
    minify: !values["no-minify"],
  });
  return EXIT.ok;
}
