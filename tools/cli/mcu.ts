// `mcu`: one CLI for the host verbs and the tool verbs. Kept tiny so that a cold start loads
// almost nothing before the verb's own chunk.
import { CliError, EXIT, printableLines } from "../../host/kit/index.ts";
import { verbs } from "./verbs.ts";

declare const MCU_VERSION: string;

function help(): string {
  const width = Math.max(...Object.keys(verbs).map((v) => v.length));
  const lines = Object.entries(verbs).map(([name, v]) => `  ${name.padEnd(width)}  ${v.summary}`);
  return `usage: mcu <verb> [options]   (mcu <verb> --help for details)\n\nverbs:\n${lines.join("\n")}`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    console.log(help());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === "--version") {
    console.log(typeof MCU_VERSION === "string" ? MCU_VERSION : "dev");
    return EXIT.ok;
  }
  const verb = verbs[name];
  if (!verb) {
    console.error(`mcu: unknown verb "${name}"\n${help()}`);
    return EXIT.usage;
  }
  const mod = await verb.load();
  if (rest.includes("--help") || rest.includes("-h")) {
    console.log(mod.usage);
    return EXIT.ok;
  }
  try {
    return await mod.run(rest);
  } catch (err) {
    if (err instanceof CliError) {
      // Messages may quote a broker, a board or a file: no control character reaches the terminal.
      console.error(`mcu ${name}: ${err.styled ? err.message : printableLines(err.message)}`);
      return err.exitCode;
    }
    throw err;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`mcu: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exitCode = EXIT.failure;
  },
);
