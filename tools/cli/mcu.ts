// `mcu`: one CLI for the host verbs and the tool verbs. Kept tiny so that a cold start loads
// almost nothing before the verb's own chunk.
import { EXIT, errorReport } from "../../host/kit/index.ts";
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
    return reported(`mcu ${name}`, err, rest.includes("--verbose") || rest.includes("-v"));
  }
}

/** Prints what `err` says for the user and returns the exit status it carries (host/kit/errors.ts). */
function reported(who: string, err: unknown, verbose: boolean): number {
  const { text, exitCode } = errorReport(who, err, verbose);
  console.error(text);
  return exitCode;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.exitCode = reported("mcu", err, process.argv.includes("--verbose"));
  },
);
