// Every verb parses argv the same way: node:util parseArgs, strict, and bad input is exit 2 with
// the verb's usage line.
import { type ParseArgsConfig, parseArgs } from "node:util";
import { CliError } from "./errors.ts";
import { EXIT } from "./exit.ts";

export type Options = NonNullable<ParseArgsConfig["options"]>;

export function parseOrUsage<T extends Options>(argv: string[], options: T, usage: string, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (err) {
    throw new CliError(`${(err as Error).message}\n${usage.split("\n")[0]}`, EXIT.usage);
  }
}
